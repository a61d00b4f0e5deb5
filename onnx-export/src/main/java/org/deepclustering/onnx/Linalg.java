package org.deepclustering.onnx;

/** Small double-precision helpers for the export-time precomputation of the mixture head. */
final class Linalg {
  private Linalg() {}

  /** Lower-triangular L with {@code a = L Lᵀ}; throws when {@code a} is not symmetric positive definite. */
  static double[][] cholesky(double[][] a) {
    int n = a.length;
    double[][] l = new double[n][n];
    for (int i = 0; i < n; i++) {
      if (a[i].length != n) throw new IllegalArgumentException("covariance matrix is not square");
      for (int j = 0; j <= i; j++) {
        double s = a[i][j];
        for (int p = 0; p < j; p++) s -= l[i][p] * l[j][p];
        if (i == j) {
          if (!(s > 0)) throw new IllegalArgumentException("covariance matrix is not positive definite (pivot " + i + " = " + s + ")");
          l[i][i] = Math.sqrt(s);
        } else {
          l[i][j] = s / l[j][j];
        }
      }
    }
    return l;
  }

  /** Inverse of a lower-triangular matrix with a nonzero diagonal (itself lower-triangular). */
  static double[][] invertLowerTriangular(double[][] l) {
    int n = l.length;
    double[][] inv = new double[n][n];
    for (int c = 0; c < n; c++) {
      inv[c][c] = 1 / l[c][c];
      for (int i = c + 1; i < n; i++) {
        double s = 0;
        for (int p = c; p < i; p++) s += l[i][p] * inv[p][c];
        inv[i][c] = -s / l[i][i];
      }
    }
    return inv;
  }
}
