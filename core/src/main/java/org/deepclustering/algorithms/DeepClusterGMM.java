package org.deepclustering.algorithms;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.deepclustering.cluster.GaussianMixture;
import org.deepclustering.cluster.GaussianMixtureModel;
import org.deepclustering.model.GaussianMixtureHead;
import org.deepclustering.nn.Autoencoder;
import org.deepclustering.nn.AutoencoderTrainer;
import org.deepclustering.nn.OptimizerConfig;
import org.deepclustering.train.TrainingMonitor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DC-GMM, DeepCluster with a Gaussian mixture (Tian, Zhou, Guan, ECML-PKDD 2017), Algorithm 3.
 *
 * <p>Objective with Y = f(X): min L_rec(θ) − λ Σ_i log Σ_k π_k N(y_i | μ_k, Σ_k) s.t. y_i = f(x_i), solved by ADMM
 * on the scaled augmented Lagrangian (13) with dual U and penalty ρ. Each iteration:
 * <ol>
 *   <li>network (θ): one epoch on L_rec + α·(ρ/2)·mean||f(x_i) − y_i + u_i||² (decoder kept);</li>
 *   <li>Y (14): with the posteriors γ_ik of the last E-step fixed (the EM bound of −log Σ_k π_k N), y_i minimises
 *       λ Σ_k γ_ik ½ (y − μ_k)ᵀ Σ_k⁻¹ (y − μ_k) + ρ/2 ||f(x_i) + u_i − y||², so
 *       y_i = (λ Σ_k γ_ik Σ_k⁻¹ + ρ I)⁻¹ (λ Σ_k γ_ik Σ_k⁻¹ μ_k + ρ (f(x_i) + u_i)), solved by Cholesky;</li>
 *   <li>mixture (15): M-step on Y with γ (covariances + r·I), then the E-step on Y (log-sum-exp) gives the new γ;
 *       labels = argmax γ;</li>
 *   <li>dual: u_i ← u_i + f(x_i) − y_i.</li>
 * </ol>
 * Warm start Y = f(X), U = 0, mixture by EM on f(X) (k-means initialisations).
 *
 * <p>Covariance floor r = {@code relativeCovarianceRegularisation} × the mean per-coordinate variance of the
 * warm-start f(X). The mixture term of (13) is unbounded below as a component's covariance shrinks, and the network
 * step can shrink a cluster of f(X): with the authors' absolute 1e-5 (sized for their sigmoid embedding in [0, 1])
 * a component of a linear embedding collapsed until its precisions (up to 1e5) dwarfed ρ, Y and f(X) drifted apart and
 * the labels of f(X) degraded (MNIST, docs/algorithms/deepcluster.md). A floor relative to the embedding's scale
 * bounds the precisions and makes the method independent of that scale. Stops when fewer than {@code tolerance}
 * of the labels change, or after {@code maxIterations}. The model predicts the posteriors of f(x)
 * ({@link GaussianMixtureHead}); Y exists only for the training rows.
 */
public final class DeepClusterGMM extends AbstractDeepClusterer {
  private static final Logger LOG = LoggerFactory.getLogger(DeepClusterGMM.class);
  /** EM iterations per restart of the initial mixture on f(X) (also AE+GMM's default, so the two agree). */
  static final int INITIAL_EM_ITERATIONS = 200;

  /**
   * @param common shared options
   * @param rho ADMM penalty ρ (authors' MATLAB code: 1000)
   * @param lambda weight λ of the mixture term (1)
   * @param alpha weight of the constraint term in the network step (1)
   * @param maxIterations ADMM iterations (200; the code runs 300)
   * @param tolerance stop when fewer than this fraction of labels change (0.1 %)
   * @param batchSize mini-batch size of the network step (100)
   * @param learningRate Adam learning rate of the network step
   * @param kmeansRestarts EM restarts (each from its own k-means) for the initial mixture on f(X)
   * @param relativeCovarianceRegularisation added to every covariance diagonal, as a fraction of the mean
   *     per-coordinate variance of the warm-start embedding f(X) (0.01; the code adds 1e-5 to a sigmoid embedding)
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
      @JsonProperty("kmeansRestarts") int kmeansRestarts,
      @JsonProperty("relativeCovarianceRegularisation") double relativeCovarianceRegularisation) implements AlgorithmConfig {
    public Config {
      if (common == null) throw new IllegalArgumentException("DC-GMM needs the common options (common must not be null)");
      DeepClusterKMeans.validateAdmm(rho, lambda, alpha, maxIterations, tolerance, batchSize, learningRate, kmeansRestarts);
      if (!(relativeCovarianceRegularisation > 0) || Double.isInfinite(relativeCovarianceRegularisation)) {
        throw new IllegalArgumentException("relativeCovarianceRegularisation must be a positive number (a fraction of the embedding's variance that keeps covariances invertible), got "
            + relativeCovarianceRegularisation);
      }
    }

    /** Defaults: ρ 1000 (MATLAB code), λ 1, α 1, 200 iterations, tol 0.1 %, batch 100, Adam 0.0001, 10 restarts, 0.01. */
    public static Config defaults(int numClusters) {
      return new Config(CommonConfig.defaults(numClusters), 1000.0, 1.0, 1.0, 200, 0.001, 100, 1e-4, 10, 0.01);
    }

    public Config withCommon(CommonConfig c) { return new Config(c, rho, lambda, alpha, maxIterations, tolerance, batchSize, learningRate, kmeansRestarts, relativeCovarianceRegularisation); }
    public Config withRho(double v) { return new Config(common, v, lambda, alpha, maxIterations, tolerance, batchSize, learningRate, kmeansRestarts, relativeCovarianceRegularisation); }
    public Config withLambda(double v) { return new Config(common, rho, v, alpha, maxIterations, tolerance, batchSize, learningRate, kmeansRestarts, relativeCovarianceRegularisation); }
    public Config withMaxIterations(int v) { return new Config(common, rho, lambda, alpha, v, tolerance, batchSize, learningRate, kmeansRestarts, relativeCovarianceRegularisation); }
    public Config withTolerance(double v) { return new Config(common, rho, lambda, alpha, maxIterations, v, batchSize, learningRate, kmeansRestarts, relativeCovarianceRegularisation); }
    public Config withLearningRate(double v) { return new Config(common, rho, lambda, alpha, maxIterations, tolerance, batchSize, v, kmeansRestarts, relativeCovarianceRegularisation); }
  }

  private final Config config;

  public DeepClusterGMM(Config config) {
    super(config.common());
    this.config = config;
  }

  @Override
  public String name() { return "DC-GMM"; }

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
    float[] h = DeepClusterKMeans.encode(autoencoder, x);
    double reg = EmbeddingMath.covarianceFloor(h, n, e, config.relativeCovarianceRegularisation());
    LOG.info("DC-GMM covariance regularisation {} ({} x the mean coordinate variance of f(X))", reg,
        config.relativeCovarianceRegularisation());
    double[][] yRows = rows(h, n, e);
    GaussianMixtureModel gmm = GaussianMixture.builder().k(k).nInit(config.kmeansRestarts())
        .maxIterations(INITIAL_EM_ITERATIONS)
        .regularisation(reg).seed(config.common().seed()).build().fit(yRows);
    double[] y = new double[n * e];
    for (int i = 0; i < y.length; i++) y[i] = h[i]; // warm start Y = f(X)
    double[] u = new double[n * e];                 // U = 0
    double[][] gamma = new double[n][k];
    GaussianMixture.eStep(gmm, yRows, gamma);
    int[] labels = argmax(gamma);
    AutoencoderTrainer trainer = new AutoencoderTrainer(autoencoder, OptimizerConfig.adam(config.learningRate()),
        Math.min(config.batchSize(), n), config.common().seed());
    SplittableRandom rng = new SplittableRandom(config.common().seed());
    int[] order = DEKM.identity(n);
    Map<String, Double> losses = Map.of();
    String stop = "maxIterations reached";
    int iteration = 0;
    double[] target = new double[e];
    while (iteration < config.maxIterations()) {
      AdmmNetworkStep.Losses net = AdmmNetworkStep.epoch(trainer, x, y, u, config.alpha(), rho, order, rng, monitor, iteration);
      h = DeepClusterKMeans.encode(autoencoder, x);
      // (14) closed-form y_i with the posterior-weighted precisions
      double[][] means = gmm.means();
      double[][][] precisions = gmm.precisions();
      double[][] precisionMeans = new double[k][];
      for (int c = 0; c < k; c++) precisionMeans[c] = multiply(precisions[c], means[c]);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < e; j++) target[j] = h[i * e + j] + u[i * e + j];
        double[] yi = updateY(target, gamma[i], precisions, precisionMeans, lambda, rho);
        System.arraycopy(yi, 0, y, i * e, e);
        yRows[i] = yi;
      }
      // (15) M-step on Y, then the E-step (posteriors, log-sum-exp)
      gmm = GaussianMixtureModel.mStep(yRows, gamma, reg);
      double meanLogLikelihood = GaussianMixture.eStep(gmm, yRows, gamma);
      int[] next = argmax(gamma);
      double residual = AdmmNetworkStep.dualUpdate(u, h, y, n);
      double change = DEKM.changedFraction(labels, next);
      labels = next;
      monitor.checkFinite("clustering", iteration, "gmm-negative-log-likelihood", meanLogLikelihood);
      monitor.checkFinite("clustering", iteration, "primal-residual", residual);
      losses = Map.of("reconstruction", net.reconstruction(), "admm-constraint", net.constraint(),
          "gmm-negative-log-likelihood", -lambda * meanLogLikelihood, "primal-residual", residual);
      if (!monitor.listeners().isEmpty()) { // the diagnostics cost an E-step on f(X): only for listeners
        monitor.report("clustering", iteration, config.maxIterations(), diagnostics(losses, gmm, h, n, e, next), change);
      }
      iteration++;
      if (change < config.tolerance()) {
        stop = "fewer than " + config.tolerance() + " of labels changed";
        break;
      }
    }
    int[] predicted = gmm.predict(rows(h, n, e));
    LOG.info("DC-GMM stopped after {} iterations ({}); f(x) and Y labels differ on {} of the rows", iteration, stop,
        DEKM.changedFraction(predicted, labels));
    if (losses.isEmpty()) losses = Map.of("gmm-negative-log-likelihood", -lambda * gmm.meanLogLikelihood(yRows));
    return new StageResult(autoencoder, new GaussianMixtureHead(gmm), predicted, iteration, losses, stop);
  }

  /**
   * The losses plus two signs of a collapsing mixture, for the progress listeners: the smallest log-determinant of a
   * component's covariance (the GMM term of (13) falls without bound as it shrinks) and the fraction of rows whose
   * label from f(x), which the model predicts, differs from their label from Y.
   */
  private static Map<String, Double> diagnostics(Map<String, Double> losses, GaussianMixtureModel gmm, float[] h, int n,
      int e, int[] labelsOfY) {
    Map<String, Double> all = new LinkedHashMap<>(losses);
    double smallest = Double.POSITIVE_INFINITY;
    for (int c = 0; c < gmm.numComponents(); c++) smallest = Math.min(smallest, gmm.logDeterminant(c));
    all.put("smallest-log-det-covariance", smallest);
    all.put("f-vs-y-label-difference", DEKM.changedFraction(gmm.predict(rows(h, n, e)), labelsOfY));
    return all;
  }

  /**
   * (14): argmin_y λ Σ_k γ_k ½ (y − μ_k)ᵀ P_k (y − μ_k) + ρ/2 ||t − y||² with t = f(x_i) + u_i and P_k = Σ_k⁻¹:
   * y = (λ Σ_k γ_k P_k + ρ I)⁻¹ (λ Σ_k γ_k P_k μ_k + ρ t), solved with a Cholesky factorisation (the matrix is
   * symmetric positive definite because ρ > 0 and every P_k is).
   *
   * @param precisionMeans P_k μ_k per component
   */
  static double[] updateY(double[] fPlusU, double[] gamma, double[][][] precisions, double[][] precisionMeans,
      double lambda, double rho) {
    int d = fPlusU.length;
    double[][] a = new double[d][d];
    double[] b = new double[d];
    for (int j = 0; j < d; j++) {
      a[j][j] = rho;
      b[j] = rho * fPlusU[j];
    }
    for (int c = 0; c < gamma.length; c++) {
      double w = lambda * gamma[c];
      if (w == 0) continue;
      double[][] p = precisions[c];
      for (int r = 0; r < d; r++) {
        b[r] += w * precisionMeans[c][r];
        for (int s = 0; s <= r; s++) a[r][s] += w * p[r][s];
      }
    }
    return solveCholesky(a, b);
  }

  /** Solves A y = b for symmetric positive definite A (lower triangle read). */
  static double[] solveCholesky(double[][] a, double[] b) {
    int d = b.length;
    double[][] l = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        double s = a[i][j];
        for (int q = 0; q < j; q++) s -= l[i][q] * l[j][q];
        if (i == j) {
          if (!(s > 0)) throw new IllegalStateException("the DC-GMM Y-update matrix is not positive definite (pivot " + s + ")");
          l[i][i] = Math.sqrt(s);
        } else {
          l[i][j] = s / l[j][j];
        }
      }
    }
    double[] z = new double[d];
    for (int i = 0; i < d; i++) {
      double s = b[i];
      for (int q = 0; q < i; q++) s -= l[i][q] * z[q];
      z[i] = s / l[i][i];
    }
    double[] y = new double[d];
    for (int i = d - 1; i >= 0; i--) {
      double s = z[i];
      for (int q = i + 1; q < d; q++) s -= l[q][i] * y[q];
      y[i] = s / l[i][i];
    }
    return y;
  }

  private static double[] multiply(double[][] m, double[] v) {
    double[] r = new double[m.length];
    for (int i = 0; i < m.length; i++) for (int j = 0; j < v.length; j++) r[i] += m[i][j] * v[j];
    return r;
  }

  private static double[][] rows(float[] h, int n, int e) {
    double[][] r = new double[n][e];
    for (int i = 0; i < n; i++) for (int j = 0; j < e; j++) r[i][j] = h[i * e + j];
    return r;
  }

  private static int[] argmax(double[][] p) {
    int[] l = new int[p.length];
    for (int i = 0; i < p.length; i++) {
      int best = 0;
      for (int c = 1; c < p[i].length; c++) if (p[i][c] > p[i][best]) best = c;
      l[i] = best;
    }
    return l;
  }
}
