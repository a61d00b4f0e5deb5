package org.deepclustering.algorithms;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.deepclustering.cluster.KMeansResult;
import org.deepclustering.model.StudentTHead;
import org.deepclustering.nn.Autoencoder;
import org.deepclustering.nn.AutoencoderTrainer;
import org.deepclustering.nn.ForwardPass;
import org.deepclustering.nn.OptimizerConfig;
import org.deepclustering.train.TrainingMonitor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IDEC, Improved Deep Embedded Clustering (Guo, Gao, Liu, Yin, IJCAI 2017): DEC's clustering loss plus the
 * autoencoder's reconstruction loss, so the decoder is kept and the embedding keeps the local structure of the data.
 *
 * <p>Algorithm 1 of the paper: initialise μ by k-means on the pretrained embedding; then for each iteration: every T
 * iterations compute Q (3) and the target P (4) on all data, stop if fewer than a fraction δ of the labels (14) changed
 * since the last update; otherwise take a mini-batch and update the network and μ by Adam (or SGD with momentum) on
 * {@code L = L_r + γ L_c} (6) with the gradients (9)-(12). Loss averaging as the reference code: L_r is the MSE mean
 * over all batch elements, L_c = KL(P‖Q) summed over clusters and averaged over the batch rows ("batchmean").
 */
public final class IDEC extends AbstractDeepClusterer {
  private static final Logger LOG = LoggerFactory.getLogger(IDEC.class);

  /**
   * @param common shared options
   * @param gamma γ, weight of the clustering loss in L = L_r + γ L_c (paper: 0.1)
   * @param alpha α, degrees of freedom of the Student-t kernel (paper: 1)
   * @param updateInterval T, iterations between target-distribution updates (paper: 140 on MNIST, 30 USPS, 3 Reuters)
   * @param tolerance δ, stop when fewer than this fraction of labels changed between two target updates (paper: 0.001)
   * @param maxIterations MaxIter, mini-batch iterations at most (paper: 20000)
   * @param batchSize mini-batch size (paper: 256; capped at the number of rows)
   * @param learningRate learning rate of the network and the centroids (paper: Adam 0.001 on MNIST, SGD 0.1 on USPS)
   * @param optimizer optimizer of the network and the centroids (paper: Adam on MNIST, SGD with momentum on USPS and
   *     Reuters; null: Adam, for configurations saved before the option)
   * @param momentum momentum of {@link ClusteringOptimizer#SGD_MOMENTUM} (paper: 0.99; DEC-Keras: 0.9)
   * @param kmeansRestarts k-means++ restarts for the initial centroids (reference code: 20)
   */
  public record Config(
      @JsonProperty("common") CommonConfig common,
      @JsonProperty("gamma") double gamma,
      @JsonProperty("alpha") double alpha,
      @JsonProperty("updateInterval") int updateInterval,
      @JsonProperty("tolerance") double tolerance,
      @JsonProperty("maxIterations") int maxIterations,
      @JsonProperty("batchSize") int batchSize,
      @JsonProperty("learningRate") double learningRate,
      @JsonProperty("optimizer") ClusteringOptimizer optimizer,
      @JsonProperty("momentum") double momentum,
      @JsonProperty("kmeansRestarts") int kmeansRestarts) implements AlgorithmConfig, LoopOptions {
    public Config {
      java.util.Objects.requireNonNull(common, "common");
      if (optimizer == null) optimizer = ClusteringOptimizer.ADAM;
      if (!(gamma > 0) || Double.isInfinite(gamma)) throw new IllegalArgumentException("IDEC gamma must be a positive number, got " + gamma + " (paper: 0.1)");
      StudentTClustering.checkOptions("IDEC", alpha, updateInterval, tolerance, maxIterations, batchSize, learningRate, momentum, kmeansRestarts);
    }

    /**
     * The paper's MNIST settings: γ 0.1, α 1, T 140, δ 0.001, MaxIter 20000, batch 256, Adam 0.001 (momentum 0.99, the
     * paper's SGD value, is used only if the optimizer is changed to SGD_MOMENTUM), 20 restarts.
     */
    public static Config defaults(int numClusters) {
      return new Config(CommonConfig.defaults(numClusters), 0.1, 1.0, 140, 0.001, 20000, 256, 0.001,
          ClusteringOptimizer.ADAM, 0.99, 20);
    }

    public Config withCommon(CommonConfig c) { return new Config(c, gamma, alpha, updateInterval, tolerance, maxIterations, batchSize, learningRate, optimizer, momentum, kmeansRestarts); }
    public Config withGamma(double g) { return new Config(common, g, alpha, updateInterval, tolerance, maxIterations, batchSize, learningRate, optimizer, momentum, kmeansRestarts); }
    public Config withUpdateInterval(int t) { return new Config(common, gamma, alpha, t, tolerance, maxIterations, batchSize, learningRate, optimizer, momentum, kmeansRestarts); }
    public Config withTolerance(double tol) { return new Config(common, gamma, alpha, updateInterval, tol, maxIterations, batchSize, learningRate, optimizer, momentum, kmeansRestarts); }
    public Config withMaxIterations(int m) { return new Config(common, gamma, alpha, updateInterval, tolerance, m, batchSize, learningRate, optimizer, momentum, kmeansRestarts); }
    public Config withBatchSize(int b) { return new Config(common, gamma, alpha, updateInterval, tolerance, maxIterations, b, learningRate, optimizer, momentum, kmeansRestarts); }
    /** The clustering stage's optimizer, e.g. the paper's USPS setting {@code (SGD_MOMENTUM, 0.1, 0.99)}. */
    public Config withOptimizer(ClusteringOptimizer o, double lr, double m) { return new Config(common, gamma, alpha, updateInterval, tolerance, maxIterations, batchSize, lr, o, m, kmeansRestarts); }
  }

  private final Config config;

  public IDEC(Config config) {
    super(config.common());
    this.config = config;
  }

  @Override
  public String name() { return "IDEC"; }

  @Override
  public Config config() { return config; }

  @Override
  protected StageResult cluster(INDArray x, Autoencoder autoencoder, TrainingMonitor monitor) {
    return studentTLoop("IDEC", config, config.gamma(), true, x, autoencoder, monitor);
  }

  /** The options of the Student-t clustering loop, shared by IDEC's and DEC's configurations. */
  interface LoopOptions {
    CommonConfig common();
    double alpha();
    int updateInterval();
    double tolerance();
    int maxIterations();
    int batchSize();
    double learningRate();
    ClusteringOptimizer optimizer();
    double momentum();
    int kmeansRestarts();
  }

  /**
   * Algorithm 1 of the IDEC paper. With {@code keepDecoder} the loss is L = L_r + γ L_c (6) (IDEC); without it the
   * decoder is dropped and L = L_c (7) with γ = 1 (DEC, as the IDEC paper describes it), the one difference between
   * the two methods.
   */
  static StageResult studentTLoop(String method, LoopOptions options, double gamma, boolean keepDecoder, INDArray x,
      Autoencoder autoencoder, TrainingMonitor monitor) {
    int n = (int) x.rows();
    int k = options.common().numClusters();
    long seed = options.common().seed();
    monitor.checkInterrupted();

    // Initialise μ by k-means on the pretrained embedding.
    KMeansResult km = AutoencoderKMeans.kmeansOnEmbedding(autoencoder.encode(x), k, options.kmeansRestarts(), 300, seed);
    int batch = Math.min(options.batchSize(), n);
    OptimizerConfig optimizer = options.optimizer().config(options.learningRate(), options.momentum());
    StudentTClustering.Workspace layer = new StudentTClustering.Workspace(n, EmbeddingMath.toRows(km.centroids()),
        options.alpha(), batch, optimizer);
    AutoencoderTrainer trainer = new AutoencoderTrainer(autoencoder, optimizer, batch, seed + 1);

    int T = options.updateInterval();
    int maxRounds = (options.maxIterations() + T - 1) / T;
    SplittableRandom rnd = new SplittableRandom(seed + 2);
    int[] order = StudentTClustering.permutation(n, rnd);
    int[] lastLabels = km.labels();
    int position = 0;
    double recSum = 0, klSum = 0;
    int sinceUpdate = 0;
    Map<String, Double> lastRound = Map.of();
    String stopReason = "maxIterations (" + options.maxIterations() + ") reached";
    int ite;
    for (ite = 0; ite < options.maxIterations(); ite++) {
      if (ite % T == 0) {
        // Every T iterations: Q (3) and the target P (4) on all data, labels (14), stop rule.
        int[] labels = layer.updateTarget(autoencoder.encode(x));
        double delta = StudentTClustering.changedFraction(labels, lastLabels);
        lastLabels = labels;
        if (ite > 0) {
          lastRound = roundLosses(keepDecoder, gamma, recSum / sinceUpdate, klSum / sinceUpdate);
          monitor.report("clustering", ite / T, maxRounds, lastRound, delta);
          LOG.debug("{} iteration {}: {}, label change {}", method, ite, lastRound, delta);
          recSum = klSum = 0;
          sinceUpdate = 0;
        }
        if (ite > 0 && delta < options.tolerance()) {
          stopReason = String.format(java.util.Locale.ROOT, "tolerance: %.5f of the labels changed (< %s) at iteration %d",
              delta, options.tolerance(), ite);
          break;
        }
      }
      monitor.checkInterrupted();
      if (position >= n) { // next pass through the data, reshuffled
        order = StudentTClustering.permutation(n, rnd);
        position = 0;
      }
      int from = position, to = Math.min(n, position + batch);
      position = to;
      // Mini-batch step of L (6) or (7): network by (9) through the embedding, centroids by (10).
      ForwardPass f = trainer.forwardRows(x, order, from, to, true, keepDecoder);
      StudentTClustering.BatchLoss lc = layer.batchLoss(f, order, from, to, gamma);
      monitor.checkFinite("clustering", ite, "kl", lc.kl());
      double lr = trainer.backwardAndStep(f, keepDecoder ? 1.0 : 0.0, lc.embeddingGradient(), 0);
      if (keepDecoder) monitor.checkFinite("clustering", ite, "reconstruction", lr);
      layer.stepCentroids();
      recSum += lr;
      klSum += lc.kl();
      sinceUpdate++;
    }
    StudentTHead head = new StudentTHead(layer.centroids(), options.alpha());
    int[] labels = StudentTClustering.finalLabels(head, autoencoder.encode(x));
    Map<String, Double> finalLosses = sinceUpdate > 0
        ? roundLosses(keepDecoder, gamma, recSum / sinceUpdate, klSum / sinceUpdate) : lastRound;
    return new StageResult(autoencoder, head, labels, ite, finalLosses, stopReason);
  }

  private static Map<String, Double> roundLosses(boolean keepDecoder, double gamma, double rec, double kl) {
    if (!keepDecoder) return Map.of("kl", kl);
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("reconstruction", rec);
    m.put("kl", kl);
    m.put("total", rec + gamma * kl);
    return m;
  }
}
