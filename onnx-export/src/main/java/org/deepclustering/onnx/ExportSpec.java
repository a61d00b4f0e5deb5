package org.deepclustering.onnx;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the ONNX graph is built from, as plain arrays: the exporter's intermediate form between a trained
 * {@code ClusteringModel} and the ONNX protobuf. Keeping it independent of ND4J makes the graph builder testable on
 * its own and gives new layer kinds (convolutions for DEKM's convolutional encoder) one place to be added:
 * a new {@link EncoderLayer} record plus its case in {@link OnnxGraphBuilder}.
 *
 * @param algorithm name of the method that trained the model (metadata only)
 * @param featureNames input attribute names, in column order; their count is the input width d
 * @param preprocessing the fitted input scaling
 * @param encoder encoder layers applied in order to the scaled input; the last one produces the embedding
 * @param head the cluster head applied to the embedding
 * @param metadata extra model metadata_props (written after the standard keys)
 */
public record ExportSpec(String algorithm, List<String> featureNames, Preprocessing preprocessing,
    List<EncoderLayer> encoder, HeadSpec head, Map<String, String> metadata) {

  public ExportSpec {
    Objects.requireNonNull(algorithm, "algorithm");
    featureNames = List.copyOf(featureNames);
    Objects.requireNonNull(preprocessing, "preprocessing");
    encoder = List.copyOf(encoder);
    Objects.requireNonNull(head, "head");
    metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    if (encoder.isEmpty()) throw new IllegalArgumentException("the encoder has no layers");
    if (encoder.get(0).inputWidth() != featureNames.size()) {
      throw new IllegalArgumentException("the encoder takes " + encoder.get(0).inputWidth() + " inputs, but there are "
          + featureNames.size() + " features");
    }
    for (int i = 1; i < encoder.size(); i++) {
      if (encoder.get(i).inputWidth() != encoder.get(i - 1).outputWidth()) {
        throw new IllegalArgumentException("encoder layer " + i + " takes " + encoder.get(i).inputWidth()
            + " values but layer " + (i - 1) + " gives " + encoder.get(i - 1).outputWidth());
      }
    }
    if (!(encoder.get(encoder.size() - 1) instanceof DenseLayer)) {
      throw new IllegalArgumentException("the encoder must end with a dense (embedding) layer");
    }
    if (preprocessing.offset().length != featureNames.size()) {
      throw new IllegalArgumentException("scaler has " + preprocessing.offset().length + " features, names " + featureNames.size());
    }
  }

  public int inputDim() { return featureNames.size(); }

  /** Width of the embedding the encoder produces (the head's input). */
  public int embeddingDim() { return head.embeddingDim(); }

  /** Per-feature {@code y = (x - offset) * factor}, then optionally {@code y * sqrt(d) / ||y||} (zero rows stay zero). */
  public record Preprocessing(String scaling, float[] offset, float[] factor, boolean sampleL2) {
    public Preprocessing {
      Objects.requireNonNull(scaling, "scaling");
      if (offset.length != factor.length) throw new IllegalArgumentException("offset and factor differ in length");
      offset = offset.clone();
      factor = factor.clone();
    }

    boolean hasOffset() {
      for (float v : offset) if (v != 0f) return true;
      return false;
    }

    boolean hasFactor() {
      for (float v : factor) if (v != 1f) return true;
      return false;
    }
  }

  /** Element-wise nonlinearity after a layer. */
  public enum Activation { IDENTITY, RELU, LEAKY_RELU, TANH, SIGMOID, /** alpha 1 */ ELU }

  /** Batch normalisation in inference form: {@code gamma * (x - mean) / sqrt(var + eps) + beta}. */
  public record BatchNorm(float[] gamma, float[] beta, float[] mean, float[] var, double eps) {
    public BatchNorm {
      int c = gamma.length;
      if (beta.length != c || mean.length != c || var.length != c) throw new IllegalArgumentException("batch-norm parameter lengths differ");
      gamma = gamma.clone();
      beta = beta.clone();
      mean = mean.clone();
      var = var.clone();
    }
  }

  /** One encoder stage: a dense layer or a 2-D convolution (inputs and outputs are flat channels-last rows). */
  public sealed interface EncoderLayer permits DenseLayer, Conv2dLayer {
    int inputWidth();

    int outputWidth();
  }

  /**
   * A fully connected layer {@code y = act(bn(x W + b))}.
   *
   * @param weight row-major in x out
   * @param bias length out
   * @param batchNorm applied after the affine map and before the activation; null when absent
   * @param leakySlope negative slope of LEAKY_RELU (ignored otherwise)
   */
  public record DenseLayer(int in, int out, float[] weight, float[] bias, BatchNorm batchNorm, Activation activation,
      float leakySlope) implements EncoderLayer {
    public DenseLayer {
      if ((long) in * out != weight.length) throw new IllegalArgumentException("weight has " + weight.length + " values, expected " + in + " x " + out);
      if (bias.length != out) throw new IllegalArgumentException("bias has " + bias.length + " values, expected " + out);
      if (batchNorm != null && batchNorm.gamma().length != out) throw new IllegalArgumentException("batch norm width differs from layer width");
      Objects.requireNonNull(activation, "activation");
    }

    @Override public int inputWidth() { return in; }

    @Override public int outputWidth() { return out; }
  }

  /**
   * A 2-D convolution {@code y = act(conv(x) + b)} on channels-last (HWC) flat rows; in the graph the data is NCHW
   * between consecutive convolutions.
   *
   * @param inH input height
   * @param inW input width
   * @param inC input channels
   * @param outC output channels (filters)
   * @param kernel square kernel size
   * @param stride stride in both directions
   * @param padTop zero rows before the image
   * @param padLeft zero columns before the image
   * @param padBottom zero rows after the image
   * @param padRight zero columns after the image
   * @param weight row-major (kernel * kernel * inC) x outC, rows ordered (ky, kx, inC): Keras' (kh, kw, in, out)
   * @param bias length outC
   * @param activation nonlinearity after the bias
   * @param leakySlope negative slope of LEAKY_RELU (ignored otherwise)
   */
  public record Conv2dLayer(int inH, int inW, int inC, int outC, int kernel, int stride, int padTop, int padLeft,
      int padBottom, int padRight, float[] weight, float[] bias, Activation activation, float leakySlope) implements EncoderLayer {
    public Conv2dLayer {
      if (inH <= 0 || inW <= 0 || inC <= 0 || outC <= 0 || kernel <= 0 || stride <= 0) {
        throw new IllegalArgumentException("convolution sizes must be positive");
      }
      if (padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) throw new IllegalArgumentException("negative padding");
      if ((long) kernel * kernel * inC * outC != weight.length) {
        throw new IllegalArgumentException("conv weight has " + weight.length + " values, expected " + kernel + "x" + kernel + "x" + inC + "x" + outC);
      }
      if (bias.length != outC) throw new IllegalArgumentException("conv bias has " + bias.length + " values, expected " + outC);
      Objects.requireNonNull(activation, "activation");
      if (inH + padTop + padBottom < kernel || inW + padLeft + padRight < kernel) {
        throw new IllegalArgumentException("convolution output would be empty");
      }
    }

    /** floor((inH + padTop + padBottom - kernel) / stride) + 1, as ONNX Conv. */
    public int outH() { return Math.floorDiv(inH + padTop + padBottom - kernel, stride) + 1; }

    public int outW() { return Math.floorDiv(inW + padLeft + padRight - kernel, stride) + 1; }

    @Override public int inputWidth() { return inH * inW * inC; }

    @Override public int outputWidth() { return outH() * outW() * outC; }
  }

  /** The cluster head. */
  public sealed interface HeadSpec permits CentroidSpec, StudentTSpec, GaussianMixtureSpec {
    int numClusters();

    int embeddingDim();
  }

  /** Nearest centroid; probabilities by the Student-t kernel with α = 1; optional DEKM transform {@code y = V z}. */
  public record CentroidSpec(float[][] centroids, float[][] transform) implements HeadSpec {
    @Override public int numClusters() { return centroids.length; }

    @Override public int embeddingDim() { return centroids[0].length; }
  }

  /** DEC/IDEC soft assignment q, eq. (3), with degrees of freedom α. */
  public record StudentTSpec(float[][] centroids, double alpha) implements HeadSpec {
    @Override public int numClusters() { return centroids.length; }

    @Override public int embeddingDim() { return centroids[0].length; }
  }

  /** Gaussian mixture with full covariances: probabilities are the posteriors p(j | z). */
  public record GaussianMixtureSpec(double[] weights, double[][] means, double[][][] covariances) implements HeadSpec {
    @Override public int numClusters() { return weights.length; }

    @Override public int embeddingDim() { return means[0].length; }
  }
}
