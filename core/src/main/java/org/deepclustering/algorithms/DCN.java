package org.deepclustering.algorithms;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.FloatPointer;
import org.deepclustering.cluster.KMeans;
import org.deepclustering.cluster.KMeansResult;
import org.deepclustering.model.CentroidHead;
import org.deepclustering.nn.Autoencoder;
import org.deepclustering.nn.AutoencoderTrainer;
import org.deepclustering.nn.ForwardPass;
import org.deepclustering.nn.OptimizerConfig;
import org.deepclustering.train.TrainingMonitor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DCN, Deep Clustering Network (Yang, Fu, Sidiropoulos, Hong, ICML 2017): jointly optimises the autoencoder and
 * k-means in the embedding, objective (4): {@code Σ_i ℓ(g(f(x_i)), x_i) + (λ/2) ||f(x_i) − M s_i||²}.
 *
 * <p>Algorithm 1 of the paper, per mini-batch: (6) one network step on the combined loss with M and the assignments s
 * fixed; (7) each sample of the batch is assigned to its nearest centroid, using the updated network; (8) each
 * assigned sample moves its centroid, {@code m_k ← m_k − (1/c_k)(m_k − f(x_i))}, with the per-cluster count c_k
 * incremented first (a per-cluster step size that decreases as 1/c_k).
 *
 * <p>Scaling: this library's reconstruction loss is the mean over all B·d elements of the batch, not the sum. The
 * penalty is scaled the same way, so the batch loss is the paper's objective (4) divided by B·d and λ keeps the
 * paper's meaning: {@code L = (1/(B d)) Σ_i [||x̂_i − x_i||² + (λ/2) ||z_i − m_{s_i}||²]}, hence
 * {@code dL/dz_i = λ (z_i − m_{s_i}) / (B d)}.
 *
 * <p>Not in the paper, off by default: {@code kmeansRefreshEpochs} re-runs Lloyd's k-means from the current M on the
 * whole embedding every so many epochs, as the authors' second code (DCN-New) does every 10 epochs.
 */
public final class DCN extends AbstractDeepClusterer {
  private static final Logger LOG = LoggerFactory.getLogger(DCN.class);

  /**
   * @param common shared options
   * @param lambda λ, weight of the k-means penalty (supplement Table 6: 0.05; the paper's text: 1)
   * @param epochs passes through the data (paper: 50)
   * @param batchSize mini-batch size; 0 = automatic, 1 % of the rows but at least 32 (paper: about 0.01 N)
   * @param learningRate network learning rate, Nesterov momentum SGD (paper: 0.05)
   * @param momentum Nesterov momentum (paper: 0.9)
   * @param initialCount starting value of the per-cluster counts c_k of the centroid step (8); 0 = the k-means cluster
   *     sizes (authors' code: 100; the paper leaves it open)
   * @param kmeansRestarts k-means++ restarts for the initial M and s (20)
   * @param kmeansRefreshEpochs every this many epochs, Lloyd's k-means from the current M on the whole embedding
   *     replaces M and s; 0 = never (the paper); the authors' second code: 10
   */
  public record Config(
      @JsonProperty("common") CommonConfig common,
      @JsonProperty("lambda") double lambda,
      @JsonProperty("epochs") int epochs,
      @JsonProperty("batchSize") int batchSize,
      @JsonProperty("learningRate") double learningRate,
      @JsonProperty("momentum") double momentum,
      @JsonProperty("initialCount") int initialCount,
      @JsonProperty("kmeansRestarts") int kmeansRestarts,
      @JsonProperty("kmeansRefreshEpochs") int kmeansRefreshEpochs) implements AlgorithmConfig {
    public Config {
      java.util.Objects.requireNonNull(common, "common");
      if (!(lambda >= 0) || Double.isInfinite(lambda)) throw new IllegalArgumentException("DCN lambda must be a number >= 0, got " + lambda + " (paper: 0.05)");
      if (epochs < 0) throw new IllegalArgumentException("DCN epochs must be >= 0, got " + epochs + " (paper: 50)");
      if (batchSize < 0) throw new IllegalArgumentException("DCN batchSize must be >= 0 (0 = 1 % of the rows, at least 32), got " + batchSize);
      if (!(learningRate > 0) || Double.isInfinite(learningRate)) throw new IllegalArgumentException("DCN learningRate must be a positive number, got " + learningRate + " (paper: 0.05)");
      if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("DCN momentum must be in [0, 1), got " + momentum + " (paper: 0.9)");
      if (initialCount < 0) throw new IllegalArgumentException("DCN initialCount must be >= 0 (0 = k-means cluster sizes), got " + initialCount + " (authors' code: 100)");
      if (kmeansRestarts < 1) throw new IllegalArgumentException("DCN kmeansRestarts must be at least 1, got " + kmeansRestarts);
      if (kmeansRefreshEpochs < 0) throw new IllegalArgumentException("DCN kmeansRefreshEpochs must be >= 0 (0 = never, as the paper), got " + kmeansRefreshEpochs + " (authors' second code: 10)");
    }

    /**
     * Defaults: λ 0.05, 50 epochs, automatic batch size, Nesterov lr 0.05 momentum 0.9, c_k from 100, 20 restarts, no
     * k-means refresh.
     */
    public static Config defaults(int numClusters) {
      return new Config(CommonConfig.defaults(numClusters), 0.05, 50, 0, 0.05, 0.9, 100, 20, 0);
    }

    public Config withCommon(CommonConfig c) { return new Config(c, lambda, epochs, batchSize, learningRate, momentum, initialCount, kmeansRestarts, kmeansRefreshEpochs); }
    public Config withLambda(double l) { return new Config(common, l, epochs, batchSize, learningRate, momentum, initialCount, kmeansRestarts, kmeansRefreshEpochs); }
    public Config withEpochs(int e) { return new Config(common, lambda, e, batchSize, learningRate, momentum, initialCount, kmeansRestarts, kmeansRefreshEpochs); }
    public Config withBatchSize(int b) { return new Config(common, lambda, epochs, b, learningRate, momentum, initialCount, kmeansRestarts, kmeansRefreshEpochs); }
    public Config withLearningRate(double lr) { return new Config(common, lambda, epochs, batchSize, lr, momentum, initialCount, kmeansRestarts, kmeansRefreshEpochs); }
    public Config withInitialCount(int c) { return new Config(common, lambda, epochs, batchSize, learningRate, momentum, c, kmeansRestarts, kmeansRefreshEpochs); }
    public Config withKmeansRefreshEpochs(int r) { return new Config(common, lambda, epochs, batchSize, learningRate, momentum, initialCount, kmeansRestarts, r); }

    /** The batch size used for n rows: {@code batchSize}, or 1 % of n but at least 32 when 0; never more than n. */
    public int effectiveBatchSize(int n) {
      int b = batchSize > 0 ? batchSize : Math.max(32, (int) Math.round(0.01 * n));
      return Math.min(b, n);
    }
  }

  private final Config config;

  public DCN(Config config) {
    super(config.common());
    this.config = config;
  }

  @Override
  public String name() { return "DCN"; }

  @Override
  public Config config() { return config; }

  @Override
  protected StageResult cluster(INDArray x, Autoencoder autoencoder, TrainingMonitor monitor) {
    int n = (int) x.rows();
    int k = config.common().numClusters();
    int d = autoencoder.embeddingDim();
    long seed = config.common().seed();
    monitor.checkInterrupted();

    // Initialisation: k-means on the pretrained embedding gives M, s and the counts c_k.
    KMeansResult km = AutoencoderKMeans.kmeansOnEmbedding(autoencoder.encode(x), k, config.kmeansRestarts(), 300, seed);
    float[] centroids = km.centroids().castTo(DataType.FLOAT).dup('c').data().asFloat();
    int[] s = km.labels();
    long[] counts = new long[k];
    if (config.initialCount() > 0) java.util.Arrays.fill(counts, config.initialCount());
    else for (int label : s) counts[label]++;

    int batch = config.effectiveBatchSize(n);
    AutoencoderTrainer trainer = new AutoencoderTrainer(autoencoder,
        OptimizerConfig.nesterov(config.learningRate(), config.momentum()), batch, seed + 1);
    SplittableRandom rnd = new SplittableRandom(seed + 2);
    float[] z = new float[batch * d];
    float[] grad = new float[batch * d];
    INDArray dLdZFull = Nd4j.create(DataType.FLOAT, batch, d);
    INDArray dLdZLast = n % batch == 0 ? null : Nd4j.create(DataType.FLOAT, n % batch, d);

    Map<String, Double> losses = Map.of();
    for (int epoch = 0; epoch < config.epochs(); epoch++) {
      int[] order = StudentTClustering.permutation(n, rnd);
      int[] before = s.clone();
      double recSum = 0, penaltySum = 0;
      int batches = 0;
      for (int from = 0; from < n; from += batch) {
        monitor.checkInterrupted();
        int to = Math.min(n, from + batch);
        int b = to - from;
        INDArray dLdZ = b == batch ? dLdZFull : dLdZLast;
        double scale = config.lambda() / ((double) b * autoencoder.inputDim());
        // (6) network step on reconstruction + (λ/2)||f(x_i) − M s_i||² with M and s fixed.
        ForwardPass f = trainer.forwardRows(x, order, from, to, true, true);
        readRows(f.embedding(), z, b * d);
        double penalty = penaltyGradient(z, b, d, centroids, s, order, from, scale, grad);
        writeRows(dLdZ, grad, b * d);
        monitor.checkFinite("clustering", epoch, "kmeans-penalty", penalty);
        double rec = trainer.backwardAndStep(f, 1.0, dLdZ, epoch);
        monitor.checkFinite("clustering", epoch, "reconstruction", rec);
        // (7) assignments with the updated network; (8) centroid steps with per-cluster counts.
        ForwardPass g = trainer.forwardRows(x, order, from, to, false, false);
        readRows(g.embedding(), z, b * d);
        for (int i = 0; i < b; i++) {
          int row = order[from + i];
          s[row] = nearestCentroid(z, i * d, centroids, k, d);
          counts[s[row]]++;
          centroidStep(centroids, s[row], d, counts[s[row]], z, i * d);
        }
        recSum += rec;
        penaltySum += penalty / b;
        batches++;
      }
      if (config.kmeansRefreshEpochs() > 0 && (epoch + 1) % config.kmeansRefreshEpochs() == 0) {
        // Not in the paper: the authors' second code re-runs k-means from the current M every 10 epochs (counts kept).
        KMeansResult refreshed = KMeans.builder().k(k).nInit(1).maxIterations(300).seed(seed).build()
            .fit(autoencoder.encode(x), Nd4j.create(centroids, new long[] {k, d}, DataType.FLOAT));
        centroids = refreshed.centroids().castTo(DataType.FLOAT).dup('c').data().asFloat();
        s = refreshed.labels();
      }
      double changed = StudentTClustering.changedFraction(s, before);
      losses = new LinkedHashMap<>();
      losses.put("reconstruction", recSum / batches);
      losses.put("kmeans", penaltySum / batches);
      monitor.report("clustering", epoch + 1, config.epochs(), losses, changed);
      LOG.debug("DCN epoch {}: {}, label change {}", epoch + 1, losses, changed);
    }
    float[][] m = new float[k][d];
    for (int j = 0; j < k; j++) System.arraycopy(centroids, j * d, m[j], 0, d);
    CentroidHead head = new CentroidHead(m);
    int[] labels = StudentTClustering.finalLabels(head, autoencoder.encode(x));
    return new StageResult(autoencoder, head, labels, config.epochs(), losses, "epochs (" + config.epochs() + ") done");
  }

  /**
   * The k-means penalty of a batch and its gradient: returns Σ_i ||z_i − m_{s_i}||² / 2 (unscaled, summed over the
   * batch) and writes {@code dz_i = scale · (z_i − m_{s_i})}, the gradient of {@code scale · Σ_i ||z_i − m_{s_i}||²/2}.
   */
  static double penaltyGradient(float[] z, int b, int d, float[] centroids, int[] s, int[] order, int from, double scale,
      float[] dz) {
    double penalty = 0;
    for (int i = 0; i < b; i++) {
      int c = s[order[from + i]] * d;
      for (int t = 0; t < d; t++) {
        double diff = z[i * d + t] - centroids[c + t];
        penalty += diff * diff / 2;
        dz[i * d + t] = (float) (scale * diff);
      }
    }
    return penalty;
  }

  /** (7): index of the centroid closest to z[offset..offset+d). */
  static int nearestCentroid(float[] z, int offset, float[] centroids, int k, int d) {
    int best = 0;
    double bestDist = Double.POSITIVE_INFINITY;
    for (int j = 0; j < k; j++) {
      double dist = 0;
      for (int t = 0; t < d; t++) {
        double diff = z[offset + t] - centroids[j * d + t];
        dist += diff * diff;
      }
      if (dist < bestDist) {
        bestDist = dist;
        best = j;
      }
    }
    return best;
  }

  /** (8): m_c ← m_c − (1/count)(m_c − z), for the already incremented count of cluster c. */
  static void centroidStep(float[] centroids, int c, int d, long count, float[] z, int offset) {
    double step = 1.0 / count;
    for (int t = 0; t < d; t++) {
      centroids[c * d + t] -= (float) (step * (centroids[c * d + t] - z[offset + t]));
    }
  }

  private static void readRows(INDArray view, float[] dst, int len) {
    FloatPointer p = new FloatPointer(view.data().addressPointer());
    p.position(p.position() + view.offset());
    p.get(dst, 0, len);
  }

  private static void writeRows(INDArray array, float[] src, int len) {
    FloatPointer p = new FloatPointer(array.data().addressPointer());
    p.position(p.position() + array.offset());
    p.put(src, 0, len);
  }
}
