package org.deepclustering.algorithms;

import org.bytedeco.javacpp.FloatPointer;
import org.deepclustering.nn.ForwardPass;
import org.deepclustering.nn.OptimizerConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The clustering layer shared by DEC and IDEC (Xie et al. 2016; Guo et al. 2017; equation numbers of the IDEC paper):
 * the Student-t soft assignment q (3), the target distribution p (4), the KL clustering loss (7) and its gradients
 * with respect to the embedding (9) and the centroids (10). The static methods are the equations on plain double
 * arrays (row-major, {@code n x k} or {@code n x d}); a {@link Workspace} applies them to mini-batches of a trainer
 * with buffers allocated once.
 *
 * <p>Loss averaging follows the reference PyTorch code ({@code F.kl_div(q.log(), p, reduction="batchmean")}):
 * {@code L_c = (1/B) sum_i sum_j p_ij log(p_ij / q_ij)} over a batch of B rows, so both gradients carry 1/B.
 */
final class StudentTClustering {
  private StudentTClustering() {}

  /** Eq. (3): q_ij ∝ (1 + ||z_i − μ_j||²/α)^(−(α+1)/2), each row normalised to sum 1. */
  static void softAssignment(double[] z, int n, double[] mu, int k, int d, double alpha, double[] q) {
    double exponent = -(alpha + 1) / 2;
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (int j = 0; j < k; j++) {
        double base = 1 + squaredDistance(z, i * d, mu, j * d, d) / alpha;
        double v = alpha == 1 ? 1 / base : Math.pow(base, exponent);
        q[i * k + j] = v;
        sum += v;
      }
      for (int j = 0; j < k; j++) q[i * k + j] /= sum;
    }
  }

  /** Eq. (4): p_ij = (q_ij² / f_j) / Σ_j' (q_ij'² / f_j'), with soft cluster frequencies f_j = Σ_i q_ij. */
  static void targetDistribution(double[] q, int n, int k, double[] p) {
    double[] f = new double[k];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) f[j] += q[i * k + j];
    }
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (int j = 0; j < k; j++) {
        double w = q[i * k + j] * q[i * k + j] / f[j];
        p[i * k + j] = w;
        sum += w;
      }
      for (int j = 0; j < k; j++) p[i * k + j] /= sum;
    }
  }

  /** Eq. (7): KL(P‖Q) = Σ_i Σ_j p_ij log(p_ij / q_ij) (a sum; terms with p_ij = 0 contribute 0). */
  static double klDivergence(double[] p, double[] q, int n, int k) {
    double s = 0;
    for (int i = 0; i < n * k; i++) {
      if (p[i] > 0) s += p[i] * Math.log(p[i] / q[i]);
    }
    return s;
  }

  /**
   * Eq. (9), scaled: dz_i = scale · (α+1)/α Σ_j (1 + ||z_i − μ_j||²/α)^(−1) (p_ij − q_ij)(z_i − μ_j), the gradient of
   * {@code scale · KL(P‖Q)} with respect to z_i (P fixed).
   */
  static void gradientWrtEmbedding(double[] z, int n, double[] mu, int k, int d, double alpha, double[] p, double[] q,
      double scale, double[] dz) {
    double c = scale * (alpha + 1) / alpha;
    java.util.Arrays.fill(dz, 0, n * d, 0.0);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        double w = c * (p[i * k + j] - q[i * k + j]) / (1 + squaredDistance(z, i * d, mu, j * d, d) / alpha);
        for (int t = 0; t < d; t++) dz[i * d + t] += w * (z[i * d + t] - mu[j * d + t]);
      }
    }
  }

  /**
   * Eq. (10), scaled: dμ_j = −scale · (α+1)/α Σ_i (1 + ||z_i − μ_j||²/α)^(−1) (p_ij − q_ij)(z_i − μ_j), the gradient of
   * {@code scale · KL(P‖Q)} with respect to μ_j.
   */
  static void gradientWrtCentroids(double[] z, int n, double[] mu, int k, int d, double alpha, double[] p, double[] q,
      double scale, double[] dmu) {
    double c = scale * (alpha + 1) / alpha;
    java.util.Arrays.fill(dmu, 0, k * d, 0.0);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        double w = c * (p[i * k + j] - q[i * k + j]) / (1 + squaredDistance(z, i * d, mu, j * d, d) / alpha);
        for (int t = 0; t < d; t++) dmu[j * d + t] -= w * (z[i * d + t] - mu[j * d + t]);
      }
    }
  }

  /** Eq. (14): label_i = argmax_j q_ij. */
  static int[] labels(double[] q, int n, int k) {
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      int best = 0;
      for (int j = 1; j < k; j++) if (q[i * k + j] > q[i * k + best]) best = j;
      y[i] = best;
    }
    return y;
  }

  /** Fraction of positions where the two label vectors differ (the stop criterion's δ). */
  static double changedFraction(int[] a, int[] b) {
    int changed = 0;
    for (int i = 0; i < a.length; i++) if (a[i] != b[i]) changed++;
    return (double) changed / a.length;
  }

  /** Labels of the final model, exactly as {@code ClusteringModel.predict} computes them. */
  static int[] finalLabels(org.deepclustering.model.ClusterHead head, INDArray embeddings) {
    return head.assign(embeddings.castTo(DataType.FLOAT).dup('c').data().asFloat(), (int) embeddings.rows());
  }

  /** A random permutation of 0..n-1 (Fisher-Yates). */
  static int[] permutation(int n, java.util.SplittableRandom rnd) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) a[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** Classic momentum, as the network's SGD_MOMENTUM: v ← m v + lr g, θ ← θ − v (element-wise, in place). */
  static void momentumStep(double[] theta, double[] velocity, double[] gradient, double lr, double momentum) {
    for (int i = 0; i < theta.length; i++) {
      velocity[i] = momentum * velocity[i] + lr * gradient[i];
      theta[i] -= velocity[i];
    }
  }

  /** Validation of the options DEC and IDEC share, with messages naming the method and the paper's value. */
  static void checkOptions(String method, double alpha, int updateInterval, double tolerance, int maxIterations,
      int batchSize, double learningRate, double momentum, int kmeansRestarts) {
    if (!(alpha > 0) || Double.isInfinite(alpha)) throw new IllegalArgumentException(method + " alpha must be a positive number, got " + alpha + " (paper: 1)");
    if (updateInterval < 1) throw new IllegalArgumentException(method + " updateInterval must be at least 1, got " + updateInterval + " (paper: 140 on MNIST)");
    if (!(tolerance >= 0 && tolerance <= 1)) throw new IllegalArgumentException(method + " tolerance must be in [0, 1], got " + tolerance + " (paper: 0.001; 0 disables the stop rule)");
    if (maxIterations < 0) throw new IllegalArgumentException(method + " maxIterations must be >= 0, got " + maxIterations + " (paper: 20000)");
    if (batchSize < 1) throw new IllegalArgumentException(method + " batchSize must be at least 1, got " + batchSize + " (paper: 256)");
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) throw new IllegalArgumentException(method + " learningRate must be a positive number, got " + learningRate + " (paper: 0.001)");
    if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException(method + " momentum must be in [0, 1), got " + momentum + " (paper: 0.99 with SGD_MOMENTUM)");
    if (kmeansRestarts < 1) throw new IllegalArgumentException(method + " kmeansRestarts must be at least 1, got " + kmeansRestarts + " (reference code: 20)");
  }

  private static double squaredDistance(double[] a, int ao, double[] b, int bo, int d) {
    double s = 0;
    for (int t = 0; t < d; t++) {
      double diff = a[ao + t] - b[bo + t];
      s += diff * diff;
    }
    return s;
  }

  /**
   * State of the clustering layer during training: the trainable centroids μ with their own optimizer state (the
   * network's optimizer and settings: Adam by PyTorch's rule, or classic momentum), the target distribution P of all
   * rows, and batch buffers allocated once.
   */
  static final class Workspace {
    final int n;
    final int k;
    final int d;
    final double alpha;
    final double[] mu;
    private final double[] p;
    // batch buffers
    private final float[] zf;
    private final double[] zb, pb, qb, dz, dmu;
    private final float[] dzf;
    private final INDArray dLdZFull;
    private INDArray dLdZLast;
    private int dLdZLastRows = -1;
    // centroid optimizer state: Adam's moments m1, m2, or the momentum velocity in m1
    private final OptimizerConfig optimizer;
    private final double[] m1, m2;
    private int adamSteps;

    Workspace(int n, float[][] initialCentroids, double alpha, int maxBatch, OptimizerConfig optimizer) {
      this.n = n;
      this.k = initialCentroids.length;
      this.d = initialCentroids[0].length;
      this.alpha = alpha;
      this.mu = new double[k * d];
      for (int j = 0; j < k; j++) for (int t = 0; t < d; t++) mu[j * d + t] = initialCentroids[j][t];
      this.p = new double[n * k];
      this.zf = new float[maxBatch * d];
      this.zb = new double[maxBatch * d];
      this.pb = new double[maxBatch * k];
      this.qb = new double[maxBatch * k];
      this.dz = new double[maxBatch * d];
      this.dzf = new float[maxBatch * d];
      this.dmu = new double[k * d];
      this.dLdZFull = Nd4j.create(DataType.FLOAT, maxBatch, d);
      this.optimizer = optimizer;
      this.m1 = new double[k * d];
      this.m2 = new double[k * d];
    }

    /**
     * Recomputes q on all rows from their embeddings (n x d, from one encode of all data) and P from it, eq. (3),
     * (4); returns the labels argmax q, eq. (14).
     */
    int[] updateTarget(INDArray embeddingsOfAllRows) {
      double[] z = embeddingsOfAllRows.castTo(DataType.DOUBLE).dup('c').data().asDouble();
      double[] q = new double[n * k];
      softAssignment(z, n, mu, k, d, alpha, q);
      targetDistribution(q, n, k, p);
      return labels(q, n, k);
    }

    /** The current centroids as rows. */
    float[][] centroids() {
      float[][] c = new float[k][d];
      for (int j = 0; j < k; j++) for (int t = 0; t < d; t++) c[j][t] = (float) mu[j * d + t];
      return c;
    }

    /**
     * The clustering loss of the batch {@code rows[from..to)} whose embeddings are {@code f.embedding()}: computes
     * q (3) of the batch, L_c = KL(P‖Q)/B (7, batchmean), the gradient {@code weight · ∂L_c/∂z} (9) returned as a
     * float32 B x d array for {@code trainer.backward} (valid until the next call), and keeps {@code weight · ∂L_c/∂μ}
     * (10) for {@link #stepCentroids}.
     *
     * @return L_c of the batch (unweighted)
     */
    BatchLoss batchLoss(ForwardPass f, int[] rows, int from, int to, double weight) {
      int b = to - from;
      INDArray emb = f.embedding();
      // Copy the b x d embedding view out of the trainer's buffer (a contiguous c-ordered block).
      FloatPointer src = new FloatPointer(emb.data().addressPointer());
      src.position(src.position() + emb.offset());
      src.get(zf, 0, b * d);
      for (int i = 0; i < b * d; i++) zb[i] = zf[i];
      for (int i = 0; i < b; i++) System.arraycopy(p, rows[from + i] * k, pb, i * k, k);
      softAssignment(zb, b, mu, k, d, alpha, qb);
      double loss = klDivergence(pb, qb, b, k) / b;
      gradientWrtEmbedding(zb, b, mu, k, d, alpha, pb, qb, weight / b, dz);
      gradientWrtCentroids(zb, b, mu, k, d, alpha, pb, qb, weight / b, dmu);
      for (int i = 0; i < b * d; i++) dzf[i] = (float) dz[i];
      INDArray out = gradientArray(b);
      FloatPointer dst = new FloatPointer(out.data().addressPointer());
      dst.position(dst.position() + out.offset());
      dst.put(dzf, 0, b * d);
      return new BatchLoss(loss, out);
    }

    private INDArray gradientArray(int b) {
      if (b == dLdZFull.rows()) return dLdZFull;
      if (b != dLdZLastRows) {
        dLdZLast = Nd4j.create(DataType.FLOAT, b, d);
        dLdZLastRows = b;
      }
      return dLdZLast;
    }

    /**
     * One step of the centroids with the gradient from the latest {@link #batchLoss}: Adam (PyTorch's rule) or classic
     * momentum (v ← m v + lr g, μ ← μ − v, as the network's SGD_MOMENTUM).
     */
    void stepCentroids() {
      if (optimizer.getType() == OptimizerConfig.Type.SGD_MOMENTUM) {
        momentumStep(mu, m1, dmu, optimizer.getLearningRate(), optimizer.getMomentum());
        return;
      }
      adamSteps++;
      double b1 = optimizer.getBeta1(), b2 = optimizer.getBeta2(), eps = optimizer.getEpsilon();
      double lr = optimizer.getLearningRate();
      double c1 = 1 - Math.pow(b1, adamSteps), c2 = 1 - Math.pow(b2, adamSteps);
      for (int i = 0; i < k * d; i++) {
        double g = dmu[i];
        m1[i] = b1 * m1[i] + (1 - b1) * g;
        m2[i] = b2 * m2[i] + (1 - b2) * g * g;
        mu[i] -= lr * (m1[i] / c1) / (Math.sqrt(m2[i] / c2) + eps);
      }
    }
  }

  /** Clustering loss of one batch and the embedding gradient to pass to the trainer. */
  record BatchLoss(double kl, INDArray embeddingGradient) {}
}
