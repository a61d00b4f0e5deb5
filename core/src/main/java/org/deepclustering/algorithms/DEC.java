package org.deepclustering.algorithms;

import com.fasterxml.jackson.annotation.JsonProperty;
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
 * DEC, Deep Embedded Clustering (Xie, Girshick, Farhadi, ICML 2016), as described in the IDEC paper (Guo et al., IJCAI
 * 2017, equation numbers of that paper): after pretraining, the decoder is dropped and the encoder and the centroids
 * are trained on the clustering loss alone, L = L_c = KL(P‖Q) (7).
 *
 * <p>Algorithm: initialise μ by k-means on the pretrained embedding; then for each iteration: every T iterations
 * compute Q (3) and the target P (4) on all data, stop if fewer than a fraction δ of the labels (14) changed since the
 * last update; otherwise take a mini-batch and update the encoder (gradient (9) through the embedding) and μ (10) by
 * Adam. L_c is averaged over the batch rows ("batchmean"), as the reference code.
 */
public final class DEC extends AbstractDeepClusterer {
  private static final Logger LOG = LoggerFactory.getLogger(DEC.class);

  /**
   * @param common shared options
   * @param alpha α, degrees of freedom of the Student-t kernel (paper: 1)
   * @param updateInterval T, iterations between target-distribution updates (paper: 140 on MNIST, 30 USPS, 3 Reuters)
   * @param tolerance δ, stop when fewer than this fraction of labels changed between two target updates (paper: 0.001)
   * @param maxIterations MaxIter, mini-batch iterations at most (paper: 20000)
   * @param batchSize mini-batch size (paper: 256; capped at the number of rows)
   * @param learningRate Adam learning rate of the network and the centroids (paper: 0.001 on MNIST)
   * @param kmeansRestarts k-means++ restarts for the initial centroids (reference code: 20)
   */
  public record Config(
      @JsonProperty("common") CommonConfig common,
      @JsonProperty("alpha") double alpha,
      @JsonProperty("updateInterval") int updateInterval,
      @JsonProperty("tolerance") double tolerance,
      @JsonProperty("maxIterations") int maxIterations,
      @JsonProperty("batchSize") int batchSize,
      @JsonProperty("learningRate") double learningRate,
      @JsonProperty("kmeansRestarts") int kmeansRestarts) implements AlgorithmConfig {
    public Config {
      java.util.Objects.requireNonNull(common, "common");
      StudentTClustering.checkOptions("DEC", alpha, updateInterval, tolerance, maxIterations, batchSize, learningRate, kmeansRestarts);
    }

    /** The IDEC paper's MNIST settings for DEC: α 1, T 140, δ 0.001, MaxIter 20000, batch 256, Adam 0.001, 20 restarts. */
    public static Config defaults(int numClusters) {
      return new Config(CommonConfig.defaults(numClusters), 1.0, 140, 0.001, 20000, 256, 0.001, 20);
    }

    public Config withCommon(CommonConfig c) { return new Config(c, alpha, updateInterval, tolerance, maxIterations, batchSize, learningRate, kmeansRestarts); }
    public Config withUpdateInterval(int t) { return new Config(common, alpha, t, tolerance, maxIterations, batchSize, learningRate, kmeansRestarts); }
    public Config withTolerance(double tol) { return new Config(common, alpha, updateInterval, tol, maxIterations, batchSize, learningRate, kmeansRestarts); }
    public Config withMaxIterations(int m) { return new Config(common, alpha, updateInterval, tolerance, m, batchSize, learningRate, kmeansRestarts); }
    public Config withBatchSize(int b) { return new Config(common, alpha, updateInterval, tolerance, maxIterations, b, learningRate, kmeansRestarts); }
  }

  private final Config config;

  public DEC(Config config) {
    super(config.common());
    this.config = config;
  }

  @Override
  public String name() { return "DEC"; }

  @Override
  public Config config() { return config; }

  @Override
  protected StageResult cluster(INDArray x, Autoencoder autoencoder, TrainingMonitor monitor) {
    int n = (int) x.rows();
    int k = config.common().numClusters();
    long seed = config.common().seed();
    monitor.checkInterrupted();

    // Initialise μ by k-means on the pretrained embedding.
    KMeansResult km = AutoencoderKMeans.kmeansOnEmbedding(autoencoder.encode(x), k, config.kmeansRestarts(), 300, seed);
    int batch = Math.min(config.batchSize(), n);
    OptimizerConfig adam = OptimizerConfig.adam(config.learningRate());
    StudentTClustering.Workspace layer = new StudentTClustering.Workspace(n, EmbeddingMath.toRows(km.centroids()),
        config.alpha(), batch, adam);
    AutoencoderTrainer trainer = new AutoencoderTrainer(autoencoder, adam, batch, seed + 1);

    int T = config.updateInterval();
    int maxRounds = (config.maxIterations() + T - 1) / T;
    SplittableRandom rnd = new SplittableRandom(seed + 2);
    int[] order = StudentTClustering.permutation(n, rnd);
    int[] lastLabels = km.labels();
    int position = 0;
    double klSum = 0;
    int sinceUpdate = 0;
    Map<String, Double> lastRound = Map.of();
    String stopReason = "maxIterations (" + config.maxIterations() + ") reached";
    int ite;
    for (ite = 0; ite < config.maxIterations(); ite++) {
      if (ite % T == 0) {
        // Every T iterations: Q (3) and the target P (4) on all data, labels (14), stop rule.
        int[] labels = layer.updateTarget(autoencoder.encode(x));
        double delta = StudentTClustering.changedFraction(labels, lastLabels);
        lastLabels = labels;
        if (ite > 0) {
          lastRound = roundLosses(klSum / sinceUpdate);
          monitor.report("clustering", ite / T, maxRounds, lastRound, delta);
          LOG.debug("DEC iteration {}: {}, label change {}", ite, lastRound, delta);
          klSum = 0;
          sinceUpdate = 0;
        }
        if (ite > 0 && delta < config.tolerance()) {
          stopReason = String.format(java.util.Locale.ROOT, "tolerance: %.5f of the labels changed (< %s) at iteration %d",
              delta, config.tolerance(), ite);
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
      // Mini-batch step of L = L_c (7): encoder only (decoder dropped), by (9) through the embedding, centroids by (10).
      ForwardPass f = trainer.forwardRows(x, order, from, to, true, false);
      StudentTClustering.BatchLoss lc = layer.batchLoss(f, order, from, to, 1.0);
      trainer.backward(f, 0.0, lc.embeddingGradient());
      monitor.checkFinite("clustering", ite, "kl", lc.kl());
      trainer.step(0);
      layer.stepCentroids();
      klSum += lc.kl();
      sinceUpdate++;
    }
    StudentTHead head = new StudentTHead(layer.centroids(), config.alpha());
    int[] labels = StudentTClustering.finalLabels(head, autoencoder.encode(x));
    Map<String, Double> finalLosses = sinceUpdate > 0 ? roundLosses(klSum / sinceUpdate) : lastRound;
    return new StageResult(autoencoder, head, labels, ite, finalLosses, stopReason);
  }

  private static Map<String, Double> roundLosses(double kl) {
    return Map.of("kl", kl);
  }
}
