package org.deepclustering.model;

/** Small numeric helpers shared by the cluster heads. */
final class Heads {
  private Heads() {}

  static float[][] copy(float[][] m) {
    float[][] c = new float[m.length][];
    for (int i = 0; i < m.length; i++) c[i] = m[i].clone();
    return c;
  }

  static double squaredDistance(float[] z, int offset, float[] c) {
    double s = 0;
    for (int j = 0; j < c.length; j++) {
      double diff = z[offset + j] - c[j];
      s += diff * diff;
    }
    return s;
  }

  static int argmax(double[] p, int offset, int k) {
    int best = 0;
    for (int j = 1; j < k; j++) if (p[offset + j] > p[offset + best]) best = j;
    return best;
  }

  /**
   * Student-t kernel soft assignment, DEC/IDEC eq. (3): q_ij ∝ (1 + ||z_i − μ_j||²/α)^(−(α+1)/2), normalised per row.
   */
  static double[] studentT(float[] z, int n, float[][] centroids, double alpha) {
    int k = centroids.length;
    int d = centroids[0].length;
    double[] q = new double[n * k];
    double exponent = -(alpha + 1) / 2;
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (int j = 0; j < k; j++) {
        double v = Math.pow(1 + squaredDistance(z, i * d, centroids[j]) / alpha, exponent);
        q[i * k + j] = v;
        sum += v;
      }
      for (int j = 0; j < k; j++) q[i * k + j] /= sum;
    }
    return q;
  }

  static void requireShape(float[] z, int n, int d) {
    if (z.length != (long) n * d) {
      throw new IllegalArgumentException("embedding has " + z.length + " values, expected " + n + " x " + d);
    }
  }
}
