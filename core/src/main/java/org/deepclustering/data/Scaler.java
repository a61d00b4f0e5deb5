package org.deepclustering.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Fitted preprocessing: per feature {@code y = (x - offset) * factor} ({@link Scaling#UNIT_MEAN_SQUARE}: one factor
 * shared by every feature), then optionally per sample
 * {@code y = y * sqrt(d) / ||y||} ({@link Scaling#SAMPLE_L2}). Fitted once on the training data and stored in the
 * trained model, so prediction, Weka and ONNX apply exactly the same transform.
 */
public final class Scaler {
  private final Scaling scaling;
  private final float[] offset;
  private final float[] factor;

  @JsonCreator
  public Scaler(@JsonProperty("scaling") Scaling scaling, @JsonProperty("offset") float[] offset, @JsonProperty("factor") float[] factor) {
    this.scaling = Objects.requireNonNull(scaling, "scaling");
    if (offset.length != factor.length) throw new IllegalArgumentException("offset and factor differ in length");
    this.offset = offset.clone();
    this.factor = factor.clone();
  }

  /**
   * Fits the scaling on training data. Features with zero spread cannot be min-max or z-score scaled: they are
   * rejected with a message naming them (remove them first, e.g. Weka's RemoveUseless, or choose NONE).
   */
  public static Scaler fit(Dataset data, Scaling scaling) {
    DataValidation.requireUsableTrainingData(data);
    int n = data.rows();
    int d = data.cols();
    float[] values = data.rawValues();
    float[] offset = new float[d];
    float[] factor = new float[d];
    java.util.Arrays.fill(factor, 1f);
    if (scaling == Scaling.MIN_MAX || scaling == Scaling.Z_SCORE) {
      double[] a = new double[d];
      double[] b = new double[d];
      if (scaling == Scaling.MIN_MAX) {
        java.util.Arrays.fill(a, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(b, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < d; j++) {
            double v = values[i * d + j];
            if (v < a[j]) a[j] = v;
            if (v > b[j]) b[j] = v;
          }
        }
      } else {
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) a[j] += values[i * d + j];
        for (int j = 0; j < d; j++) a[j] /= n;
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < d; j++) {
            double c = values[i * d + j] - a[j];
            b[j] += c * c;
          }
        }
        for (int j = 0; j < d; j++) b[j] = Math.sqrt(b[j] / n);
      }
      List<String> constant = new ArrayList<>();
      for (int j = 0; j < d; j++) {
        double spread = scaling == Scaling.MIN_MAX ? b[j] - a[j] : b[j];
        if (!(spread > 0)) {
          constant.add(data.featureNames().get(j));
          continue;
        }
        offset[j] = (float) a[j];
        factor[j] = (float) (1.0 / spread);
      }
      if (!constant.isEmpty()) {
        throw new IllegalArgumentException(constant.size() + " feature(s) have zero variance and cannot be scaled with "
            + scaling + ": " + abbreviate(constant) + ". Remove constant features first (Weka: RemoveUseless) or use scaling NONE.");
      }
    }
    if (scaling == Scaling.UNIT_MEAN_SQUARE) java.util.Arrays.fill(factor, (float) (1.0 / rootMeanSquare(data)));
    return new Scaler(scaling, offset, factor);
  }

  /** Root mean square of all values; refuses data whose values are all zero (no factor can scale them to 1). */
  private static double rootMeanSquare(Dataset data) {
    double sum = 0;
    for (float v : data.rawValues()) sum += (double) v * v;
    double rms = Math.sqrt(sum / ((double) data.rows() * data.cols()));
    if (!(rms > 0)) {
      throw new IllegalArgumentException("every value of the training data is 0: UNIT_MEAN_SQUARE scaling cannot make "
          + "their mean square 1. Check the data, or use scaling NONE.");
    }
    return rms;
  }

  /** The identity transform for {@code d} features. */
  public static Scaler identity(int d) {
    float[] ones = new float[d];
    java.util.Arrays.fill(ones, 1f);
    return new Scaler(Scaling.NONE, new float[d], ones);
  }

  /** Applies the fitted transform, returning a new data set (labels and names kept). */
  public Dataset transform(Dataset data) {
    DataValidation.requireColumns(data, offset.length);
    DataValidation.requireFinite(data);
    int n = data.rows();
    int d = data.cols();
    float[] in = data.rawValues();
    float[] out = new float[in.length];
    for (int i = 0; i < n; i++) {
      int base = i * d;
      double sumSq = 0;
      for (int j = 0; j < d; j++) {
        float y = (in[base + j] - offset[j]) * factor[j];
        out[base + j] = y;
        sumSq += (double) y * y;
      }
      if (scaling == Scaling.SAMPLE_L2 && sumSq > 0) {
        float s = (float) Math.sqrt(d / sumSq);
        for (int j = 0; j < d; j++) out[base + j] *= s;
      }
    }
    Dataset result = Dataset.ofRowMajor(out, n, d).withFeatureNames(data.featureNames());
    return data.hasLabels() ? result.withLabels(data.labels(), data.classNames()) : result;
  }

  @JsonProperty("scaling")
  public Scaling scaling() { return scaling; }

  /** Per-feature offset subtracted first. */
  @JsonProperty("offset")
  public float[] offset() { return offset.clone(); }

  /** Per-feature factor multiplied after the offset. */
  @JsonProperty("factor")
  public float[] factor() { return factor.clone(); }

  public int inputDim() { return offset.length; }

  private static String abbreviate(List<String> names) {
    return names.size() <= 8 ? String.join(", ", names) : String.join(", ", names.subList(0, 8)) + ", ... (" + (names.size() - 8) + " more)";
  }
}
