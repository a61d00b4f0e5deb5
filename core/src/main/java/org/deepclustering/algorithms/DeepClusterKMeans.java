package org.deepclustering.algorithms;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.SplittableRandom;
import org.deepclustering.cluster.KMeansResult;
import org.deepclustering.model.CentroidHead;
import org.deepclustering.nn.Autoencoder;
import org.deepclustering.nn.AutoencoderTrainer;
import org.deepclustering.nn.OptimizerConfig;
import org.deepclustering.train.TrainingMonitor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DC-Kmeans, DeepCluster with k-means (Tian, Zhou, Guan, ECML-PKDD 2017; not Caron et al.'s DeepCluster), Algorithm 2.
 *
 * <p>Objective with the dummy variable Y = f(X) (n×e): min L_rec(θ) + λ Σ_i ½||y_i − M s_i||² s.t. y_i = f(x_i),
 * solved by ADMM on the scaled augmented Lagrangian (7)/(9) with dual U and penalty ρ. Each iteration:
 * <ol>
 *   <li>network (θ): one epoch of mini-batches on L_rec + α·(ρ/2)·mean||f(x_i) − y_i + u_i||² (decoder kept);</li>
 *   <li>Y and assignments (10): for fixed s_i the minimiser of λ/2||y − m_{s_i}||² + ρ/2||f(x_i) + u_i − y||² is
 *       y_i = (λ m_{s_i} + ρ (f(x_i) + u_i)) / (λ + ρ); substituting it leaves λρ/(2(λ+ρ))·||m_s − (f(x_i) + u_i)||²,
 *       so the jointly optimal s_i is the centroid nearest to f(x_i) + u_i;</li>
 *   <li>centroids: M = cluster means of Y; labels = nearest centroid of Y;</li>
 *   <li>dual: u_i ← u_i + f(x_i) − y_i.</li>
 * </ol>
 * Warm start Y = f(X), U = 0, M and labels from k-means on f(X). Stops when fewer than {@code tolerance} of the labels
 * change between iterations, or after {@code maxIterations}. Y exists only for the training rows: the model predicts
 * the centroid nearest to f(x) ({@link CentroidHead}), for training rows as for new ones.
 */
public final class DeepClusterKMeans extends AbstractDeepClusterer {
  private static final Logger LOG = LoggerFactory.getLogger(DeepClusterKMeans.class);

  /**
   * @param common shared options
   * @param rho ADMM penalty ρ (authors' code: 1)
   * @param lambda weight λ of the k-means term (1)
   * @param alpha weight of the constraint term in the network step (1; see the class comment)
   * @param maxIterations ADMM iterations (authors' code: 200)
   * @param tolerance stop when fewer than this fraction of labels change (0.1 %)
   * @param batchSize mini-batch size of the network step (authors' code: 100)
   * @param learningRate Adam learning rate of the network step (authors' code: AdaDelta; see docs/algorithms/deepcluster.md)
   * @param kmeansRestarts k-means++ restarts of the initial k-means on f(X)
   */
  public record Config(
      @JsonProperty("common") CommonConfig common,
      @JsonProperty("rho") double rho,
      @JsonProperty("lambda") double lambda,
      @JsonProperty("alpha") double alpha,
      @JsonProperty("maxIterations") int maxIterations,
      @JsonProperty("tolerance") double tolerance,
      @JsonProperty("batchSize") int batchSize,
      @JsonProperty("learningRate") double learningRate,
      @JsonProperty("kmeansRestarts") int kmeansRestarts) implements AlgorithmConfig {
    public Config {
      if (common == null) throw new IllegalArgumentException("DC-Kmeans needs the common options (common must not be null)");
      validateAdmm(rho, lambda, alpha, maxIterations, tolerance, batchSize, learningRate, kmeansRestarts);
    }

    /** Defaults: ρ 1, λ 1, α 1, 200 iterations, tol 0.1 %, batch 100 (authors' code), Adam 0.0001, 10 restarts. */
    public static Config defaults(int numClusters) {
      return new Config(CommonConfig.defaults(numClusters), 1.0, 1.0, 1.0, 200, 0.001, 100, 1e-4, 10);
    }

    public Config withCommon(CommonConfig c) { return new Config(c, rho, lambda, alpha, maxIterations, tolerance, batchSize, learningRate, kmeansRestarts); }
    public Config withRho(double v) { return new Config(common, v, lambda, alpha, maxIterations, tolerance, batchSize, learningRate, kmeansRestarts); }
    public Config withLambda(double v) { return new Config(common, rho, v, alpha, maxIterations, tolerance, batchSize, learningRate, kmeansRestarts); }
    public Config withAlpha(double v) { return new Config(common, rho, lambda, v, maxIterations, tolerance, batchSize, learningRate, kmeansRestarts); }
    public Config withMaxIterations(int v) { return new Config(common, rho, lambda, alpha, v, tolerance, batchSize, learningRate, kmeansRestarts); }
    public Config withTolerance(double v) { return new Config(common, rho, lambda, alpha, maxIterations, v, batchSize, learningRate, kmeansRestarts); }
    public Config withLearningRate(double v) { return new Config(common, rho, lambda, alpha, maxIterations, tolerance, batchSize, v, kmeansRestarts); }
  }

  static void validateAdmm(double rho, double lambda, double alpha, int maxIterations, double tolerance, int batchSize,
      double learningRate, int kmeansRestarts) {
    if (!(rho > 0) || Double.isInfinite(rho)) throw new IllegalArgumentException("rho (ADMM penalty) must be a positive number, got " + rho);
    if (!(lambda >= 0) || Double.isInfinite(lambda)) throw new IllegalArgumentException("lambda (clustering weight) must be >= 0, got " + lambda);
    if (!(alpha >= 0) || Double.isInfinite(alpha)) throw new IllegalArgumentException("alpha (constraint weight in the network step) must be >= 0, got " + alpha);
    if (maxIterations < 0) throw new IllegalArgumentException("maxIterations must be >= 0, got " + maxIterations);
    if (!(tolerance >= 0 && tolerance < 1)) throw new IllegalArgumentException("tolerance must be in [0, 1) (a fraction of labels), got " + tolerance);
    if (batchSize < 1) throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) throw new IllegalArgumentException("learningRate must be a positive number, got " + learningRate);
    if (kmeansRestarts < 1) throw new IllegalArgumentException("kmeansRestarts must be at least 1, got " + kmeansRestarts);
  }

  private final Config config;

  public DeepClusterKMeans(Config config) {
    super(config.common());
    this.config = config;
  }

  @Override
  public String name() { return "DC-Kmeans"; }

  @Override
  public Config config() { return config; }

  @Override
  protected StageResult cluster(INDArray x, Autoencoder autoencoder, TrainingMonitor monitor) {
    int n = (int) x.rows();
    int k = config.common().numClusters();
    int e = autoencoder.embeddingDim();
    double lambda = config.lambda();
    double rho = config.rho();
    monitor.checkInterrupted();
    INDArray z0 = autoencoder.encode(x).castTo(DataType.FLOAT);
    float[] h = z0.dup('c').data().asFloat();
    KMeansResult km = AutoencoderKMeans.kmeansOnEmbedding(z0, k, config.kmeansRestarts(), 300,
        config.common().seed());
    double[][] m = EmbeddingMath.toDoubleRows(km.centroids());
    double[] y = new double[n * e];
    for (int i = 0; i < y.length; i++) y[i] = h[i]; // warm start Y = f(X)
    double[] u = new double[n * e];                 // U = 0
    int[] labels = nearest(y, n, e, m);
    AutoencoderTrainer trainer = new AutoencoderTrainer(autoencoder, OptimizerConfig.adam(config.learningRate()),
        Math.min(config.batchSize(), n), config.common().seed());
    SplittableRandom rng = new SplittableRandom(config.common().seed());
    int[] order = DEKM.identity(n);
    Map<String, Double> losses = Map.of();
    String stop = "maxIterations reached";
    int iteration = 0;
    double[] target = new double[e];
    int[] s = new int[n];
    while (iteration < config.maxIterations()) {
      // network step (θ)
      AdmmNetworkStep.Losses net = AdmmNetworkStep.epoch(trainer, x, y, u, config.alpha(), rho, order, rng, monitor, iteration);
      h = encode(autoencoder, x);
      // (10): assignment s_i nearest to f(x_i) + u_i, then the closed-form y_i
      double kmeansLoss = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < e; j++) target[j] = h[i * e + j] + u[i * e + j];
        s[i] = nearestCentroid(target, 0, m);
        double[] yi = updateY(target, m[s[i]], lambda, rho);
        System.arraycopy(yi, 0, y, i * e, e);
      }
      // centroids M = cluster means of Y; labels = nearest centroid of Y
      m = clusterMeans(y, n, e, s, m);
      int[] next = nearest(y, n, e, m);
      for (int i = 0; i < n; i++) {
        double d = 0;
        for (int j = 0; j < e; j++) {
          double r = y[i * e + j] - m[next[i]][j];
          d += r * r;
        }
        kmeansLoss += lambda / 2 * d;
      }
      kmeansLoss /= n;
      // dual update u_i ← u_i + f(x_i) − y_i
      double residual = AdmmNetworkStep.dualUpdate(u, h, y, n);
      double change = DEKM.changedFraction(labels, next);
      labels = next;
      monitor.checkFinite("clustering", iteration, "kmeans", kmeansLoss);
      monitor.checkFinite("clustering", iteration, "primal-residual", residual);
      losses = Map.of("reconstruction", net.reconstruction(), "admm-constraint", net.constraint(), "kmeans", kmeansLoss,
          "primal-residual", residual);
      monitor.report("clustering", iteration, config.maxIterations(), losses, change);
      iteration++;
      if (change < config.tolerance()) {
        stop = "fewer than " + config.tolerance() + " of labels changed";
        break;
      }
    }
    CentroidHead head = new CentroidHead(toFloat(m));
    int[] predicted = head.assign(h, n);
    LOG.info("DC-Kmeans stopped after {} iterations ({}); f(x) and Y labels differ on {} of the rows", iteration, stop,
        DEKM.changedFraction(predicted, labels));
    if (losses.isEmpty()) losses = Map.of("kmeans", km.inertia() * lambda / 2 / n);
    return new StageResult(autoencoder, head, predicted, iteration, losses, stop);
  }

  /** (10): argmin_y λ/2 ||y − m||² + ρ/2 ||t − y||² with t = f(x_i) + u_i, i.e. (λ m + ρ t) / (λ + ρ). */
  static double[] updateY(double[] fPlusU, double[] centroid, double lambda, double rho) {
    double[] y = new double[fPlusU.length];
    for (int j = 0; j < y.length; j++) y[j] = (lambda * centroid[j] + rho * fPlusU[j]) / (lambda + rho);
    return y;
  }

  static float[] encode(Autoencoder ae, INDArray x) {
    return ae.encode(x).castTo(DataType.FLOAT).dup('c').data().asFloat();
  }

  static int nearestCentroid(double[] v, int offset, double[][] m) {
    int best = 0;
    double bestD = Double.POSITIVE_INFINITY;
    for (int c = 0; c < m.length; c++) {
      double d = 0;
      for (int j = 0; j < m[c].length; j++) {
        double r = v[offset + j] - m[c][j];
        d += r * r;
      }
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    return best;
  }

  private static int[] nearest(double[] y, int n, int e, double[][] m) {
    int[] l = new int[n];
    for (int i = 0; i < n; i++) l[i] = nearestCentroid(y, i * e, m);
    return l;
  }

  /** Means of the rows of y per assignment; an empty cluster keeps its previous centroid. */
  private static double[][] clusterMeans(double[] y, int n, int e, int[] s, double[][] previous) {
    int k = previous.length;
    double[][] m = new double[k][e];
    int[] count = new int[k];
    for (int i = 0; i < n; i++) {
      count[s[i]]++;
      for (int j = 0; j < e; j++) m[s[i]][j] += y[i * e + j];
    }
    for (int c = 0; c < k; c++) {
      if (count[c] == 0) m[c] = previous[c].clone();
      else for (int j = 0; j < e; j++) m[c][j] /= count[c];
    }
    return m;
  }

  private static float[][] toFloat(double[][] m) {
    float[][] f = new float[m.length][m[0].length];
    for (int i = 0; i < m.length; i++) for (int j = 0; j < m[i].length; j++) f[i][j] = (float) m[i][j];
    return f;
  }
}
