package org.deepclustering.algorithms;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.SplittableRandom;
import org.deepclustering.cluster.KMeans;
import org.deepclustering.cluster.KMeansResult;
import org.deepclustering.metrics.HungarianAlgorithm;
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
 * DEKM, Deep Embedded K-Means clustering (Guo, Lin, Ye, 2021), Algorithm 1.
 *
 * <p>Starting from the pretrained autoencoder (1), every round: H = f(X) on all rows; k-means on H (2); the
 * within-class scatter S_w = Σ_k Σ_{i∈C_k} (h_i − μ_k)(h_i − μ_k)ᵀ (3); its eigendecomposition S_w = V Λ Vᵀ with the
 * eigenvalues in ascending order (4); then {@code updateInterval} Adam steps of the ENCODER on loss (6):
 * y = Vᵀf(x), L = mean_i ||y_i − y'_i||², where the target y'_i is Vᵀh_i computed at the start of the round with its
 * last coordinate (the largest eigenvalue, the direction carrying the least cluster structure) replaced by that of
 * Vᵀμ_{c_i}; the target is held fixed during the round, as in the authors' code. The
 * decoder is not used after pretraining. Stops when fewer than {@code tolerance} of the labels change between two
 * rounds (after matching clusters between the rounds), or after {@code maxIterations} encoder updates.
 *
 * <p>The model's head is {@link CentroidHead}(μ in the embedding space z, transform = Vᵀ, i.e. rows = eigenvectors
 * in ascending eigenvalue order), so labels are the nearest centroid of z = f(x) — equal to the nearest centroid in
 * y = Vᵀz because V is orthonormal — and the ONNX export's {@code transformed_embedding} is y.
 */
public final class DEKM extends AbstractDeepClusterer {
  private static final Logger LOG = LoggerFactory.getLogger(DEKM.class);

  /**
   * @param common shared options
   * @param updateInterval encoder updates (mini-batches) per round between two k-means runs (authors' code: 10 for
   *     the dense autoencoder, 40 for the convolutional one)
   * @param tolerance stop when fewer than this fraction of labels change between rounds (paper 0.1 %; code 0.5 %)
   * @param maxIterations upper bound on encoder updates in total (authors' code: 14,000)
   * @param batchSize mini-batch size (256 as the code)
   * @param learningRate Adam learning rate (0.001 as the code)
   * @param kmeansRestarts k-means++ restarts per round (plus one run warm-started from the previous centroids)
   * @param fullBatch DEKM_F: every update is a full-batch gradient step on all rows (computed in chunks of
   *     {@code batchSize}) instead of a mini-batch step
   */
  public record Config(
      @JsonProperty("common") CommonConfig common,
      @JsonProperty("updateInterval") int updateInterval,
      @JsonProperty("tolerance") double tolerance,
      @JsonProperty("maxIterations") int maxIterations,
      @JsonProperty("batchSize") int batchSize,
      @JsonProperty("learningRate") double learningRate,
      @JsonProperty("kmeansRestarts") int kmeansRestarts,
      @JsonProperty("fullBatch") boolean fullBatch) implements AlgorithmConfig {
    public Config {
      if (common == null) throw new IllegalArgumentException("DEKM needs the common options (common must not be null)");
      if (updateInterval < 1) throw new IllegalArgumentException("updateInterval must be at least 1 (updates per round), got " + updateInterval);
      if (!(tolerance >= 0 && tolerance < 1)) throw new IllegalArgumentException("tolerance must be in [0, 1) (a fraction of labels), got " + tolerance);
      if (maxIterations < 0) throw new IllegalArgumentException("maxIterations must be >= 0, got " + maxIterations);
      if (batchSize < 1) throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
      if (!(learningRate > 0) || Double.isInfinite(learningRate)) throw new IllegalArgumentException("learningRate must be a positive number, got " + learningRate);
      if (kmeansRestarts < 1) throw new IllegalArgumentException("kmeansRestarts must be at least 1, got " + kmeansRestarts);
    }

    /** Defaults of the authors' code for the dense autoencoder: interval 10, tol 0.1 %, 14,000 updates, batch 256, Adam 0.001. */
    public static Config defaults(int numClusters) {
      return new Config(CommonConfig.defaults(numClusters), 10, 0.001, 14000, 256, 0.001, 10, false);
    }

    public Config withCommon(CommonConfig c) { return new Config(c, updateInterval, tolerance, maxIterations, batchSize, learningRate, kmeansRestarts, fullBatch); }
    public Config withUpdateInterval(int v) { return new Config(common, v, tolerance, maxIterations, batchSize, learningRate, kmeansRestarts, fullBatch); }
    public Config withTolerance(double v) { return new Config(common, updateInterval, v, maxIterations, batchSize, learningRate, kmeansRestarts, fullBatch); }
    public Config withMaxIterations(int v) { return new Config(common, updateInterval, tolerance, v, batchSize, learningRate, kmeansRestarts, fullBatch); }
    public Config withBatchSize(int v) { return new Config(common, updateInterval, tolerance, maxIterations, v, learningRate, kmeansRestarts, fullBatch); }
    public Config withLearningRate(double v) { return new Config(common, updateInterval, tolerance, maxIterations, batchSize, v, kmeansRestarts, fullBatch); }
    public Config withKmeansRestarts(int v) { return new Config(common, updateInterval, tolerance, maxIterations, batchSize, learningRate, v, fullBatch); }
    public Config withFullBatch(boolean v) { return new Config(common, updateInterval, tolerance, maxIterations, batchSize, learningRate, kmeansRestarts, v); }
  }

  private final Config config;

  public DEKM(Config config) {
    super(config.common());
    this.config = config;
  }

  @Override
  public String name() { return config.fullBatch() ? "DEKM_F" : "DEKM"; }

  @Override
  public Config config() { return config; }

  @Override
  protected StageResult cluster(INDArray x, Autoencoder autoencoder, TrainingMonitor monitor) {
    int n = (int) x.rows();
    int k = config.common().numClusters();
    int e = autoencoder.embeddingDim();
    int batch = Math.min(config.batchSize(), n);
    AutoencoderTrainer trainer = new AutoencoderTrainer(autoencoder, OptimizerConfig.adam(config.learningRate()), batch,
        config.common().seed());
    SplittableRandom rng = new SplittableRandom(config.common().seed());
    int[] order = identity(n);
    shuffle(order, rng);
    int cursor = 0;
    int maxRounds = (config.maxIterations() + config.updateInterval() - 1) / config.updateInterval() + 1;

    int[] previousLabels = null;
    INDArray previousCentroids = null;
    int iterations = 0;
    double lastLoss = Double.NaN;
    double change = 1.0;
    for (int round = 0; ; round++) {
      monitor.checkInterrupted();
      INDArray hArray = autoencoder.encode(x).castTo(DataType.FLOAT);
      // (2) k-means on H = f(X)
      KMeansResult km;
      try {
        km = kmeans(hArray, k, previousCentroids, rng.nextLong());
      } catch (IllegalStateException ex) {
        monitor.checkInterrupted(); // k-means reports an interrupt as IllegalStateException
        throw ex;
      }
      float[][] centroids = EmbeddingMath.toRows(km.centroids());
      float[] h = hArray.dup('c').data().asFloat();
      int[] labels = new CentroidHead(centroids).assign(h, n);
      if (previousLabels != null) {
        int[] map = matchClusters(previousLabels, labels, k);
        float[][] aligned = new float[k][];
        for (int c = 0; c < k; c++) aligned[map[c]] = centroids[c];
        centroids = aligned;
        for (int i = 0; i < n; i++) labels[i] = map[labels[i]];
        change = changedFraction(previousLabels, labels);
      }
      previousLabels = labels;
      previousCentroids = EmbeddingMath.fromRows(centroids);
      double[][] mu = clusterMeans(h, n, e, labels, k, centroids);
      double[][] sw = withinClassScatter(h, n, e, labels, mu); // (3)
      SymmetricEigen.Result eig = SymmetricEigen.decompose(sw); // (4), ascending
      boolean converged = round > 0 && change < config.tolerance();
      if (converged || iterations >= config.maxIterations()) {
        LOG.info("DEKM stopped after {} rounds, {} updates: {} of labels changed", round, iterations, change);
        return new StageResult(autoencoder, new CentroidHead(centroids, transposeToRows(eig.vectors())), labels, iterations,
            Map.of("dekm", Double.isNaN(lastLoss) ? lossAndGradient(h, n, e, rotatedTargets(h, n, e, labels, mu, eig.vectors()),
                eig.vectors(), 1.0 / n, new float[n * e]) : lastLoss,
                "within-class-scatter", trace(sw) / n),
            converged ? "fewer than " + config.tolerance() + " of labels changed" : "maxIterations reached");
      }
      // targets of loss (6), fixed for the round: y'_i = Vᵀh_i with its last coordinate replaced by that of Vᵀμ_{c_i}
      double[][] v = eig.vectors();
      double[] yPrime = rotatedTargets(h, n, e, labels, mu, v);
      int updates = Math.min(config.updateInterval(), config.maxIterations() - iterations);
      double lossSum = 0;
      for (int it = 0; it < updates; it++) {
        double loss;
        if (config.fullBatch()) {
          loss = fullBatchStep(trainer, x, n, batch, yPrime, v, monitor, round);
          monitor.checkFinite("clustering", round, "dekm", loss);
        } else {
          if (cursor + batch > n) {
            shuffle(order, rng);
            cursor = 0;
          }
          monitor.checkInterrupted();
          ForwardPass f = trainer.forwardRows(x, order, cursor, cursor + batch, true, false);
          float[] grad = new float[batch * e];
          loss = lossAndGradient(f.embedding().dup('c').data().asFloat(), batch, e, rowsOf(yPrime, e, order, cursor, batch), v,
              1.0 / batch, grad);
          monitor.checkFinite("clustering", round, "dekm", loss);
          trainer.backwardAndStep(f, 0.0, Nd4j.create(grad, new long[] {batch, e}, 'c'), round);
          cursor += batch;
        }
        lossSum += loss;
        iterations++;
      }
      lastLoss = lossSum / updates;
      monitor.report("clustering", round, maxRounds, Map.of("dekm", lastLoss), change);
    }
  }

  /** One DEKM_F update: the exact gradient of loss (6) averaged over all n rows, accumulated over row chunks. */
  private double fullBatchStep(AutoencoderTrainer trainer, INDArray x, int n, int chunk, double[] yPrime, double[][] v,
      TrainingMonitor monitor, int round) {
    int e = trainer.autoencoder().embeddingDim();
    int[] rows = identity(n);
    INDArray total = null;
    double loss = 0;
    for (int from = 0; from < n; from += chunk) {
      monitor.checkInterrupted();
      int b = Math.min(chunk, n - from);
      ForwardPass f = trainer.forwardRows(x, rows, from, from + b, true, false);
      float[] grad = new float[b * e];
      loss += lossAndGradient(f.embedding().dup('c').data().asFloat(), b, e, rowsOf(yPrime, e, rows, from, b), v, 1.0 / n,
          grad);
      trainer.backward(f, 0.0, Nd4j.create(grad, new long[] {b, e}, 'c'));
      if (total == null) total = trainer.gradients().dup();
      else total.addi(trainer.gradients());
    }
    trainer.gradients().assign(total);
    trainer.step(round);
    return loss;
  }

  /**
   * The targets of loss (6) for a round, in the rotated space: y'_i = Vᵀh_i, except its last coordinate (largest
   * eigenvalue), which is replaced by that of Vᵀμ_{c_i}. Held fixed while the encoder is updated, as in the authors'
   * code (a target that followed y on every coordinate but the last lets the encoder shrink the embedding).
   *
   * @param h n×e, row-major
   * @param v e×e, column j = eigenvector j (ascending eigenvalues)
   * @return n×e, row-major
   */
  static double[] rotatedTargets(float[] h, int n, int e, int[] labels, double[][] mu, double[][] v) {
    int k = mu.length;
    double[] muLast = new double[k];
    for (int c = 0; c < k; c++) for (int a = 0; a < e; a++) muLast[c] += v[a][e - 1] * mu[c][a];
    double[] t = new double[n * e];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < e - 1; j++) {
        double y = 0;
        for (int a = 0; a < e; a++) y += v[a][j] * h[i * e + a];
        t[i * e + j] = y;
      }
      t[i * e + e - 1] = muLast[labels[i]];
    }
    return t;
  }

  /**
   * Loss (6) of a batch, L = weight · Σ_i ||Vᵀz_i − y'_i||², and its gradient dL/dz_i = 2 · weight · V (Vᵀz_i − y'_i).
   *
   * @param z       b×e embeddings, row-major
   * @param yPrime  b×e targets in the rotated space, row-major
   * @param v       e×e, columns = eigenvectors of S_w
   * @param weight  1/b for the batch mean
   * @param gradOut b×e, row-major, overwritten
   * @return the loss
   */
  static double lossAndGradient(float[] z, int b, int e, double[] yPrime, double[][] v, double weight, float[] gradOut) {
    double loss = 0;
    double[] r = new double[e];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < e; j++) {
        double y = 0;
        for (int a = 0; a < e; a++) y += v[a][j] * z[i * e + a];
        r[j] = y - yPrime[i * e + j];
        loss += r[j] * r[j];
      }
      for (int a = 0; a < e; a++) {
        double g = 0;
        for (int j = 0; j < e; j++) g += v[a][j] * r[j];
        gradOut[i * e + a] = (float) (2 * weight * g);
      }
    }
    return weight * loss;
  }

  /**
   * (3) S_w = Σ_k Σ_{i∈C_k} (h_i − μ_k)(h_i − μ_k)ᵀ in double.
   *
   * @param h  n×e, row-major
   * @param mu cluster means, k×e
   */
  static double[][] withinClassScatter(float[] h, int n, int e, int[] labels, double[][] mu) {
    double[][] s = new double[e][e];
    double[] diff = new double[e];
    for (int i = 0; i < n; i++) {
      double[] m = mu[labels[i]];
      for (int a = 0; a < e; a++) diff[a] = h[i * e + a] - m[a];
      for (int a = 0; a < e; a++) {
        double da = diff[a];
        for (int c = 0; c <= a; c++) s[a][c] += da * diff[c];
      }
    }
    for (int a = 0; a < e; a++) for (int c = 0; c < a; c++) s[c][a] = s[a][c];
    return s;
  }

  /** Mean of each cluster's rows; an empty cluster keeps its k-means centroid. */
  static double[][] clusterMeans(float[] h, int n, int e, int[] labels, int k, float[][] fallback) {
    double[][] mu = new double[k][e];
    int[] count = new int[k];
    for (int i = 0; i < n; i++) {
      count[labels[i]]++;
      for (int a = 0; a < e; a++) mu[labels[i]][a] += h[i * e + a];
    }
    for (int c = 0; c < k; c++) {
      for (int a = 0; a < e; a++) mu[c][a] = count[c] > 0 ? mu[c][a] / count[c] : fallback[c][a];
    }
    return mu;
  }

  /** k-means++ with restarts plus one Lloyd run from the previous round's centroids; the lowest inertia wins. */
  private KMeansResult kmeans(INDArray h, int k, INDArray previousCentroids, long seed) {
    KMeans km = KMeans.builder().k(k).nInit(config.kmeansRestarts()).maxIterations(300).seed(seed).build();
    KMeansResult best = km.fit(h);
    if (previousCentroids != null) {
      KMeansResult warm = km.fit(h, previousCentroids);
      if (warm.inertia() <= best.inertia()) best = warm;
    }
    return best;
  }

  /** For each new cluster index, the previous index it overlaps most (a one-to-one matching, Hungarian algorithm). */
  static int[] matchClusters(int[] previous, int[] current, int k) {
    double[][] overlap = new double[k][k];
    for (int i = 0; i < previous.length; i++) overlap[current[i]][previous[i]]++;
    return HungarianAlgorithm.maximize(overlap);
  }

  static double changedFraction(int[] a, int[] b) {
    int changed = 0;
    for (int i = 0; i < a.length; i++) if (a[i] != b[i]) changed++;
    return (double) changed / a.length;
  }

  /** Vᵀ as float rows: row j = eigenvector j (ascending eigenvalues), so y = transform · z. */
  private static float[][] transposeToRows(double[][] v) {
    int d = v.length;
    float[][] t = new float[d][d];
    for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) t[j][i] = (float) v[i][j];
    return t;
  }

  private static double[] rowsOf(double[] m, int e, int[] order, int from, int b) {
    double[] r = new double[b * e];
    for (int i = 0; i < b; i++) System.arraycopy(m, order[from + i] * e, r, i * e, e);
    return r;
  }

  private static double trace(double[][] m) {
    double t = 0;
    for (int i = 0; i < m.length; i++) t += m[i][i];
    return t;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  static int[] identity(int n) {
    int[] o = new int[n];
    for (int i = 0; i < n; i++) o[i] = i;
    return o;
  }

  static void shuffle(int[] a, SplittableRandom rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
