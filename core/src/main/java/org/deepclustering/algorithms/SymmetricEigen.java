package org.deepclustering.algorithms;

/**
 * Eigendecomposition of a small real symmetric matrix in double precision by the cyclic Jacobi method (rotations
 * until every off-diagonal element is negligible). Used by DEKM for the within-class scatter matrix, whose size is the
 * embedding dimension (typically 10), where Jacobi is accurate to a few ulps and fast.
 *
 * <p>Eigenvalues are returned in ASCENDING order; eigenvector j is column j of {@link Result#vectors()} (an
 * orthonormal matrix V with {@code A = V diag(values) Vᵀ}). Each eigenvector's sign is fixed so that its entry of
 * largest magnitude is positive, which makes the result deterministic.
 */
final class SymmetricEigen {
  private static final int MAX_SWEEPS = 100;

  private SymmetricEigen() {}

  /**
   * @param values  eigenvalues, ascending
   * @param vectors d×d, column j is the unit eigenvector of {@code values[j]}
   */
  record Result(double[] values, double[][] vectors) {
    /** Column j of V as a new array. */
    double[] vector(int j) {
      double[] v = new double[vectors.length];
      for (int i = 0; i < v.length; i++) v[i] = vectors[i][j];
      return v;
    }
  }

  /**
   * @param a symmetric d×d matrix (only read; symmetry is checked up to a relative 1e-9)
   * @throws IllegalArgumentException if {@code a} is not square, not finite or not symmetric
   */
  static Result decompose(double[][] a) {
    int d = a.length;
    if (d == 0) throw new IllegalArgumentException("the matrix to decompose is empty");
    double scale = 0;
    for (double[] row : a) {
      if (row.length != d) throw new IllegalArgumentException("the matrix to decompose must be square, got a row of " + row.length + " for " + d + " rows");
      for (double x : row) {
        if (!Double.isFinite(x)) throw new IllegalArgumentException("the matrix to decompose has a non-finite entry: " + x);
        scale = Math.max(scale, Math.abs(x));
      }
    }
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < i; j++) {
        if (Math.abs(a[i][j] - a[j][i]) > 1e-9 * Math.max(scale, Double.MIN_NORMAL)) {
          throw new IllegalArgumentException("the matrix to decompose is not symmetric at (" + i + ", " + j + ")");
        }
      }
    }
    double[][] m = new double[d][];
    for (int i = 0; i < d; i++) m[i] = a[i].clone();
    double[][] v = new double[d][d];
    for (int i = 0; i < d; i++) v[i][i] = 1;

    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      double off = 0;
      for (int p = 0; p < d; p++) for (int q = p + 1; q < d; q++) off += m[p][q] * m[p][q];
      double diag = 0;
      for (int p = 0; p < d; p++) diag += m[p][p] * m[p][p];
      if (off <= 1e-30 * Math.max(diag, Double.MIN_NORMAL) || off == 0) break;
      for (int p = 0; p < d; p++) {
        for (int q = p + 1; q < d; q++) {
          double apq = m[p][q];
          if (apq == 0) continue;
          // rotation angle that zeroes m[p][q]: tan(2θ) = 2 a_pq / (a_qq - a_pp), smaller root for stability
          double theta = (m[q][q] - m[p][p]) / (2 * apq);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) t = 1;
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int k = 0; k < d; k++) { // columns p, q
            double mkp = m[k][p], mkq = m[k][q];
            m[k][p] = c * mkp - s * mkq;
            m[k][q] = s * mkp + c * mkq;
          }
          for (int k = 0; k < d; k++) { // rows p, q
            double mpk = m[p][k], mqk = m[q][k];
            m[p][k] = c * mpk - s * mqk;
            m[q][k] = s * mpk + c * mqk;
          }
          m[p][q] = 0;
          m[q][p] = 0;
          for (int k = 0; k < d; k++) {
            double vkp = v[k][p], vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
          }
        }
      }
    }

    Integer[] order = new Integer[d];
    for (int i = 0; i < d; i++) order[i] = i;
    double[] diag = new double[d];
    for (int i = 0; i < d; i++) diag[i] = m[i][i];
    java.util.Arrays.sort(order, (x, y) -> Double.compare(diag[x], diag[y]));
    double[] values = new double[d];
    double[][] vectors = new double[d][d];
    for (int j = 0; j < d; j++) {
      int src = order[j];
      values[j] = diag[src];
      int big = 0;
      for (int i = 1; i < d; i++) if (Math.abs(v[i][src]) > Math.abs(v[big][src])) big = i;
      double sign = v[big][src] < 0 ? -1 : 1;
      for (int i = 0; i < d; i++) vectors[i][j] = sign * v[i][src];
    }
    return new Result(values, vectors);
  }
}
