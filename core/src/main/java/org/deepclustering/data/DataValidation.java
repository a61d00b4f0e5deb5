package org.deepclustering.data;

/** Checks that turn bad input into a clear {@link IllegalArgumentException} before any numerics run. */
public final class DataValidation {
  private DataValidation() {}

  /** Training data must be non-empty, finite, and not consist of identical rows only. */
  public static void requireUsableTrainingData(Dataset data) {
    if (data.rows() == 0) throw new IllegalArgumentException("the data set is empty: it has no rows to cluster");
    if (data.cols() == 0) throw new IllegalArgumentException("the data set has no numeric features");
    requireFinite(data);
    float[] v = data.rawValues();
    int d = data.cols();
    boolean allConstant = true;
    for (int i = 1; i < data.rows() && allConstant; i++) {
      for (int j = 0; j < d; j++) {
        if (v[i * d + j] != v[j]) {
          allConstant = false;
          break;
        }
      }
    }
    if (allConstant && data.rows() > 1) {
      throw new IllegalArgumentException("all " + data.rows() + " rows are identical (every feature has zero variance): there is nothing to cluster");
    }
  }

  /** Every value must be finite; names the first offending row and feature. */
  public static void requireFinite(Dataset data) {
    float[] v = data.rawValues();
    int d = data.cols();
    for (int k = 0; k < v.length; k++) {
      if (!Float.isFinite(v[k])) {
        int row = k / d;
        int col = k % d;
        throw new IllegalArgumentException("row " + row + ", feature '" + data.featureNames().get(col) + "' (column " + col + ") is "
            + v[k] + ": replace missing or infinite values first (Weka: ReplaceMissingValues)");
      }
    }
  }

  /** The number of columns must match what the model was trained on. */
  public static void requireColumns(Dataset data, int expected) {
    if (data.cols() != expected) {
      throw new IllegalArgumentException("the data has " + data.cols() + " features but the model was trained on " + expected
          + ": use the same attributes, in the same order, as for training");
    }
  }

  /** 1 <= k <= n. */
  public static void requireClusterCount(int k, int rows) {
    if (k < 1) throw new IllegalArgumentException("the number of clusters must be at least 1, got " + k);
    if (rows < k) {
      throw new IllegalArgumentException("cannot make " + k + " clusters from only " + rows + " rows: use at most " + rows + " clusters");
    }
  }
}
