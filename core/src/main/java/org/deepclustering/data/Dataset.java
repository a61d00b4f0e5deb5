package org.deepclustering.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A dense float32 data matrix (rows = samples, columns = features) with optional ground-truth labels.
 *
 * <p>Labels are only used for evaluation (ACC/NMI/ARI), never for training. Instances are immutable:
 * the constructor copies its inputs and accessors return copies.
 */
public final class Dataset {
  private final float[] values; // row-major, rows * cols
  private final int rows;
  private final int cols;
  private final int[] labels; // null when unlabeled
  private final List<String> featureNames;
  private final List<String> classNames; // may be empty

  private Dataset(float[] values, int rows, int cols, int[] labels, List<String> featureNames, List<String> classNames) {
    this.values = values;
    this.rows = rows;
    this.cols = cols;
    this.labels = labels;
    this.featureNames = featureNames;
    this.classNames = classNames;
  }

  /** Creates a data set from row-major values; {@code values.length} must equal {@code rows * cols}. */
  public static Dataset ofRowMajor(float[] values, int rows, int cols) {
    Objects.requireNonNull(values, "values");
    if (rows < 0 || cols < 0 || (long) rows * cols != values.length) {
      throw new IllegalArgumentException("values has " + values.length + " entries, expected rows*cols = " + rows + "*" + cols);
    }
    return new Dataset(values.clone(), rows, cols, null, defaultNames(cols), List.of());
  }

  /** Creates a data set from a rectangular array of rows. */
  public static Dataset of(double[][] data) {
    Objects.requireNonNull(data, "data");
    int cols = data.length == 0 ? 0 : data[0].length;
    float[] v = new float[data.length * cols];
    for (int i = 0; i < data.length; i++) {
      if (data[i].length != cols) {
        throw new IllegalArgumentException("row " + i + " has " + data[i].length + " values, expected " + cols + " like row 0");
      }
      for (int j = 0; j < cols; j++) v[i * cols + j] = (float) data[i][j];
    }
    return new Dataset(v, data.length, cols, null, defaultNames(cols), List.of());
  }

  /** Creates a data set from a rectangular array of rows. */
  public static Dataset of(float[][] data) {
    Objects.requireNonNull(data, "data");
    int cols = data.length == 0 ? 0 : data[0].length;
    float[] v = new float[data.length * cols];
    for (int i = 0; i < data.length; i++) {
      if (data[i].length != cols) {
        throw new IllegalArgumentException("row " + i + " has " + data[i].length + " values, expected " + cols + " like row 0");
      }
      System.arraycopy(data[i], 0, v, i * cols, cols);
    }
    return new Dataset(v, data.length, cols, null, defaultNames(cols), List.of());
  }

  /** Wraps an n x d matrix (copied, converted to float32). */
  public static Dataset of(INDArray matrix) {
    if (matrix.rank() != 2) throw new IllegalArgumentException("expected a 2-d matrix, got rank " + matrix.rank());
    int n = (int) matrix.rows();
    int d = (int) matrix.columns();
    float[] v = matrix.castTo(DataType.FLOAT).dup('c').data().asFloat();
    return new Dataset(v, n, d, null, defaultNames(d), List.of());
  }

  /** Returns a copy with ground-truth labels (0-based class indices) attached, for evaluation only. */
  public Dataset withLabels(int[] labels, List<String> classNames) {
    Objects.requireNonNull(labels, "labels");
    if (labels.length != rows) {
      throw new IllegalArgumentException(labels.length + " labels for " + rows + " rows");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0) throw new IllegalArgumentException("label of row " + i + " is negative (" + labels[i] + ")");
    }
    return new Dataset(values, rows, cols, labels.clone(), featureNames, classNames == null ? List.of() : List.copyOf(classNames));
  }

  /** Returns a copy with the given feature (column) names. */
  public Dataset withFeatureNames(List<String> names) {
    if (names.size() != cols) throw new IllegalArgumentException(names.size() + " feature names for " + cols + " columns");
    return new Dataset(values, rows, cols, labels, List.copyOf(names), classNames);
  }

  /** The first {@code count} rows (or all if fewer), keeping labels and names. */
  public Dataset head(int count) {
    int m = Math.min(count, rows);
    return new Dataset(Arrays.copyOf(values, m * cols), m, cols, labels == null ? null : Arrays.copyOf(labels, m), featureNames, classNames);
  }

  public int rows() { return rows; }
  public int cols() { return cols; }
  public boolean hasLabels() { return labels != null; }

  /** Ground-truth labels, or throws if the data set is unlabeled. */
  public int[] labels() {
    if (labels == null) throw new IllegalStateException("this data set has no labels");
    return labels.clone();
  }

  public List<String> featureNames() { return featureNames; }
  public List<String> classNames() { return classNames; }

  public float get(int row, int col) { return values[row * cols + col]; }

  /** A copy of one row. */
  public float[] row(int row) { return Arrays.copyOfRange(values, row * cols, (row + 1) * cols); }

  /** A copy of all values, row-major. */
  public float[] toRowMajorArray() { return values.clone(); }

  /** A new float32 n x d INDArray holding a copy of the values. */
  public INDArray toINDArray() {
    // first ND4J use of most programs: a clear IllegalStateException when no ND4J backend (CPU/CUDA) can load
    org.deepclustering.nn.NativeSetup.ensureConfigured();
    return Nd4j.create(values.clone(), new long[] {rows, cols}, DataType.FLOAT);
  }

  /** Number of distinct ground-truth classes (0 when unlabeled). */
  public int numClasses() {
    if (labels == null) return 0;
    return (int) Arrays.stream(labels).distinct().count();
  }

  /** Indices of the columns whose value is the same in every row. */
  public int[] constantColumns() {
    List<Integer> constant = new ArrayList<>();
    for (int j = 0; j < cols; j++) {
      boolean same = true;
      for (int i = 1; i < rows && same; i++) same = values[i * cols + j] == values[j];
      if (same) constant.add(j);
    }
    return constant.stream().mapToInt(Integer::intValue).toArray();
  }

  /** A copy without the given columns (labels kept). */
  public Dataset withoutColumns(int[] drop) {
    boolean[] dropped = new boolean[cols];
    for (int j : drop) dropped[j] = true;
    int[] keep = java.util.stream.IntStream.range(0, cols).filter(j -> !dropped[j]).toArray();
    float[] v = new float[rows * keep.length];
    for (int i = 0; i < rows; i++) for (int j = 0; j < keep.length; j++) v[i * keep.length + j] = values[i * cols + keep[j]];
    List<String> names = new ArrayList<>();
    for (int j : keep) names.add(featureNames.get(j));
    return new Dataset(v, rows, keep.length, labels, Collections.unmodifiableList(names), classNames);
  }

  float[] rawValues() { return values; }

  /** x0, x1, ...: made on demand, so that a one-row dataset (per-instance prediction in Weka) costs no d strings. */
  private static List<String> defaultNames(int cols) {
    return new java.util.AbstractList<>() {
      @Override
      public String get(int j) {
        Objects.checkIndex(j, cols);
        return "x" + j;
      }

      @Override
      public int size() { return cols; }
    };
  }

  @Override
  public String toString() {
    return "Dataset[" + rows + " x " + cols + (labels != null ? ", " + numClasses() + " classes" : "") + "]";
  }
}
