package org.deepclustering.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.deepclustering.onnx.ExportSpec.BatchNorm;
import org.deepclustering.onnx.ExportSpec.CentroidSpec;
import org.deepclustering.onnx.ExportSpec.Conv2dLayer;
import org.deepclustering.onnx.ExportSpec.DenseLayer;
import org.deepclustering.onnx.ExportSpec.EncoderLayer;
import org.deepclustering.onnx.ExportSpec.GaussianMixtureSpec;
import org.deepclustering.onnx.ExportSpec.HeadSpec;
import org.deepclustering.onnx.ExportSpec.Preprocessing;
import org.deepclustering.onnx.ExportSpec.StudentTSpec;

/**
 * Builds the ONNX {@link ModelProto} of an {@link ExportSpec} with the {@code ai.onnx.proto.OnnxMl} builders.
 *
 * <p>Opset 17 of the default domain, IR version 8 (ONNX 1.12): every operator used here has its current form in
 * opset 13-17, so the model loads in ONNX Runtime 1.12 and later (Java, Python, C#, C++) and in any runtime that
 * supports opset 17; opset 18 only changed the Reduce* operators to take their axes as an input, which gives nothing
 * here. The graph is preprocessing, then the encoder, then the head; see docs/onnx.md.
 */
final class OnnxGraphBuilder {
  /** Default-domain operator set the model imports. */
  static final int OPSET = 17;
  /** IR version of ONNX 1.12, the release that introduced opset 17. */
  static final long IR_VERSION = 8;

  static final String INPUT = "input";
  static final String EMBEDDING = "embedding";
  static final String PROBABILITIES = "probabilities";
  static final String LABEL = "label";
  static final String TRANSFORMED = "transformed_embedding";

  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final Set<String> names = new HashSet<>();
  private int counter;
  /** Whether dense layers store W transposed (out x in) and use Gemm transB=1. */
  private final boolean transposedWeights;

  OnnxGraphBuilder(boolean transposedWeights) {
    this.transposedWeights = transposedWeights;
  }

  static ModelProto build(ExportSpec spec, Map<String, String> metadata, String producerVersion, boolean transposedWeights) {
    return new OnnxGraphBuilder(transposedWeights).buildModel(spec, metadata, producerVersion);
  }

  private ModelProto buildModel(ExportSpec spec, Map<String, String> metadata, String producerVersion) {
    int d = spec.inputDim();
    int e = spec.embeddingDim();
    int k = spec.head().numClusters();
    graph.setName(sanitize(spec.algorithm()) + "_clustering");
    graph.setDocString("deep-clustering " + spec.algorithm() + " model: input [N," + d + "] -> embedding [N," + e + "] -> " + k + " clusters");
    graph.addInput(valueInfo(INPUT, TensorProto.DataType.FLOAT, "N", d));
    names.add(INPUT);

    String x = preprocessing(INPUT, spec.preprocessing());
    x = encoder(x, spec);
    head(x, spec.head());

    graph.addOutput(valueInfo(EMBEDDING, TensorProto.DataType.FLOAT, "N", e));
    graph.addOutput(valueInfo(PROBABILITIES, TensorProto.DataType.FLOAT, "N", k));
    graph.addOutput(valueInfo(LABEL, TensorProto.DataType.INT64, "N"));
    if (spec.head() instanceof CentroidSpec c && c.transform() != null) {
      graph.addOutput(valueInfo(TRANSFORMED, TensorProto.DataType.FLOAT, "N", c.transform().length));
    }

    ModelProto.Builder model = ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setProducerName("deep-clustering")
        .setProducerVersion(producerVersion)
        .setDomain("org.deepclustering")
        .setModelVersion(1)
        .setDocString(graph.getDocString())
        .setGraph(graph);
    metadata.forEach((key, value) -> model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
    return model.build();
  }

  // ------------------------------------------------------------------ stages

  private String preprocessing(String x, Preprocessing p) {
    int d = p.offset().length;
    if (p.hasOffset()) x = node("Sub", "scale_sub", x, floats("scaler_offset", p.offset(), d));
    if (p.hasFactor()) x = node("Mul", "scale_mul", x, floats("scaler_factor", p.factor(), d));
    if (p.sampleL2()) {
      // y * sqrt(d / ||y||²) with the sum of squares and the factor in double precision, as the Java scaler computes
      // them (a float32 sum over hundreds of features alone moves embeddings by ~1e-6 relative); rows with ||y|| = 0
      // stay zero (the sum is replaced by d there, and y is all zeros anyway)
      String y64 = node("Cast", "l2_input_f64", new String[] {x}, attrs(intAttr("to", TensorProto.DataType.DOUBLE.getNumber())));
      String sumSq = node("ReduceSumSquare", "l2_sumsq", new String[] {y64}, attrs(ints("axes", 1), intAttr("keepdims", 1)));
      String positive = node("Greater", "l2_positive", sumSq, doubleScalar("l2_zero", 0));
      String safe = node("Where", "l2_safe", positive, sumSq, doubleScalar("l2_d", d));
      String s64 = node("Sqrt", "l2_factor_f64", node("Div", "l2_d_over_sumsq", doubleScalar("l2_d", d), safe));
      String s = node("Cast", "l2_factor", new String[] {s64}, attrs(intAttr("to", TensorProto.DataType.FLOAT.getNumber())));
      x = node("Mul", "l2_scaled", x, s);
    }
    return x;
  }

  private String encoder(String x, ExportSpec spec) {
    int n = spec.encoder().size();
    boolean nchw = false; // whether x is an [N,C,H,W] image tensor (else a flat [N,d] row batch)
    for (int i = 0; i < n; i++) {
      EncoderLayer layer = spec.encoder().get(i);
      String out = i == n - 1 ? EMBEDDING : null;
      if (layer instanceof DenseLayer dense) {
        if (nchw) { // back to channels-last rows, the order the dense weights expect
          x = node("Transpose", "enc" + i + "_nhwc", new String[] {x}, attrs(ints("perm", 0, 2, 3, 1)));
          x = node("Flatten", "enc" + i + "_flat", new String[] {x}, attrs(intAttr("axis", 1)));
          nchw = false;
        }
        x = dense(x, dense, "enc" + i, out);
      } else if (layer instanceof Conv2dLayer conv) {
        if (!nchw) { // channels-last rows [N, H*W*C] -> [N, H, W, C] -> NCHW
          x = node("Reshape", "enc" + i + "_image", x, longs("enc" + i + "_image_shape", -1, conv.inH(), conv.inW(), conv.inC()));
          x = node("Transpose", "enc" + i + "_nchw", new String[] {x}, attrs(ints("perm", 0, 3, 1, 2)));
          nchw = true;
        }
        x = conv(x, conv, "enc" + i);
      } else {
        throw new IllegalArgumentException("layer type not supported by the ONNX exporter: " + layer.getClass().getSimpleName());
      }
    }
    return x;
  }

  /** ONNX Conv (NCHW, weight [outC, inC, k, k]) with bias, then the activation. */
  private String conv(String x, Conv2dLayer l, String prefix) {
    int k = l.kernel();
    float[] oihw = new float[l.weight().length];
    for (int ky = 0; ky < k; ky++) {
      for (int kx = 0; kx < k; kx++) {
        for (int c = 0; c < l.inC(); c++) {
          for (int o = 0; o < l.outC(); o++) {
            oihw[((o * l.inC() + c) * k + ky) * k + kx] = l.weight()[((ky * k + kx) * l.inC() + c) * l.outC() + o];
          }
        }
      }
    }
    String w = floats(prefix + "_weight", oihw, l.outC(), l.inC(), k, k);
    String b = floats(prefix + "_bias", l.bias(), l.outC());
    String y = node("Conv", prefix + "_conv", new String[] {x, w, b}, attrs(ints("kernel_shape", k, k),
        ints("strides", l.stride(), l.stride()), ints("pads", l.padTop(), l.padLeft(), l.padBottom(), l.padRight())));
    return activation(y, l.activation(), l.leakySlope(), prefix, null);
  }

  private String activation(String y, ExportSpec.Activation activation, float leakySlope, String prefix, String finalName) {
    String act = switch (activation) {
      case IDENTITY -> null;
      case RELU -> "Relu";
      case LEAKY_RELU -> "LeakyRelu";
      case TANH -> "Tanh";
      case SIGMOID -> "Sigmoid";
      case ELU -> "Elu";
    };
    if (act == null) return y;
    AttributeProto[] a = activation == ExportSpec.Activation.LEAKY_RELU ? attrs(floatAttr("alpha", leakySlope))
        : activation == ExportSpec.Activation.ELU ? attrs(floatAttr("alpha", 1f)) : attrs();
    return emit(act, finalName != null ? finalName : fresh(prefix + "_" + act.toLowerCase()), new String[] {y}, a);
  }

  private String dense(String x, DenseLayer l, String prefix, String finalName) {
    boolean last = finalName != null;
    boolean hasPost = l.batchNorm() != null || l.activation() != ExportSpec.Activation.IDENTITY;
    String w;
    if (transposedWeights) {
      float[] t = new float[l.weight().length];
      for (int i = 0; i < l.in(); i++) for (int j = 0; j < l.out(); j++) t[j * l.in() + i] = l.weight()[i * l.out() + j];
      w = floats(prefix + "_weight_t", t, l.out(), l.in());
    } else {
      w = floats(prefix + "_weight", l.weight(), l.in(), l.out());
    }
    String b = floats(prefix + "_bias", l.bias(), l.out());
    String y = emit("Gemm", last && !hasPost ? finalName : fresh(prefix + "_gemm"), new String[] {x, w, b},
        attrs(intAttr("transB", transposedWeights ? 1 : 0)));
    BatchNorm bn = l.batchNorm();
    if (bn != null) {
      boolean lastOp = last && l.activation() == ExportSpec.Activation.IDENTITY;
      y = emit("BatchNormalization", lastOp ? finalName : fresh(prefix + "_bn"),
          new String[] {y, floats(prefix + "_bn_gamma", bn.gamma(), l.out()), floats(prefix + "_bn_beta", bn.beta(), l.out()),
              floats(prefix + "_bn_mean", bn.mean(), l.out()), floats(prefix + "_bn_var", bn.var(), l.out())},
          attrs(floatAttr("epsilon", (float) bn.eps())));
    }
    if (l.activation() != ExportSpec.Activation.IDENTITY) y = activation(y, l.activation(), l.leakySlope(), prefix, finalName);
    return y;
  }

  private void head(String z, HeadSpec head) {
    if (head instanceof CentroidSpec c) {
      String dist = squaredDistances(z, c.centroids());
      emit("ArgMin", LABEL, new String[] {dist}, attrs(intAttr("axis", 1), intAttr("keepdims", 0)));
      normalizeRows(node("Reciprocal", "kernel", node("Add", "dist_plus_one", dist, scalar("one", 1f))), PROBABILITIES);
      if (c.transform() != null) {
        float[][] v = c.transform();
        int rows = v.length;
        int cols = v[0].length;
        float[] vt = new float[rows * cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) vt[j * rows + i] = v[i][j];
        emit("MatMul", TRANSFORMED, new String[] {z, floats("transform_t", vt, cols, rows)}, attrs());
      }
  } else if (head instanceof StudentTSpec s) {
      String dist = squaredDistances(z, s.centroids());
      // argmax q = argmin distance (q is strictly decreasing in the distance); taking it on the distances avoids
      // ties that float rounding of q can create
      emit("ArgMin", LABEL, new String[] {dist}, attrs(intAttr("axis", 1), intAttr("keepdims", 0)));
      String kernel;
      if (s.alpha() == 1.0) {
        kernel = node("Reciprocal", "kernel", node("Add", "dist_plus_one", dist, scalar("one", 1f)));
      } else {
        String base = node("Add", "kernel_base", node("Mul", "dist_over_alpha", dist, scalar("inv_alpha", (float) (1.0 / s.alpha()))), scalar("one", 1f));
        kernel = node("Pow", "kernel", base, scalar("kernel_exponent", (float) (-(s.alpha() + 1) / 2)));
      }
      normalizeRows(kernel, PROBABILITIES);
    } else if (head instanceof GaussianMixtureSpec g) {
      gaussianMixture(z, g);
    } else {
      throw new IllegalArgumentException("cluster head not supported by the ONNX exporter: " + head.getClass().getSimpleName());
    }
  }

  /** [N,k] squared Euclidean distances, computed on the differences (no ||z||² - 2 z·c + ||c||² cancellation). */
  private String squaredDistances(String z, float[][] centroids) {
    int k = centroids.length;
    int e = centroids[0].length;
    String z3 = node("Unsqueeze", "z_unsqueezed", z, longs("axes_1", 1));
    String diff = node("Sub", "z_minus_centroids", z3, floats("centroids", flatten(centroids), k, e));
    return node("ReduceSumSquare", "squared_distances", new String[] {diff}, attrs(ints("axes", 2), intAttr("keepdims", 0)));
  }

  private void normalizeRows(String kernel, String out) {
    String sum = node("ReduceSum", "kernel_sum", new String[] {kernel, longs("axes_1", 1)}, attrs(intAttr("keepdims", 1)));
    emit("Div", out, new String[] {kernel, sum}, attrs());
  }

  /**
   * GMM posteriors p(j|z) = softmax_j(log π_j + log N(z | μ_j, Σ_j)); log N uses precomputed inverse Cholesky
   * factors P_j = L_j⁻¹ (Σ_j = L_j L_jᵀ): log N = -½(e log 2π + 2 Σ log L_ii + ||P_j (z - μ_j)||²). Softmax subtracts
   * the row maximum, i.e. it is the log-sum-exp normalisation. Labels are the argmax of the log joint.
   * The head runs in double precision, as the Java head does: tight components (large precisions, e.g. after DC-GMM)
   * make float32 Mahalanobis terms visibly less accurate.
   */
  private void gaussianMixture(String z, GaussianMixtureSpec g) {
    int k = g.numClusters();
    int e = g.embeddingDim();
    double[] means = new double[k * e];
    double[] inverseFactorsT = new double[k * e * e]; // per cluster P_jᵀ, row-major e x e
    double[] logConst = new double[k];
    for (int j = 0; j < k; j++) {
      for (int a = 0; a < e; a++) means[j * e + a] = g.means()[j][a];
      double[][] l = Linalg.cholesky(g.covariances()[j]);
      double[][] p = Linalg.invertLowerTriangular(l);
      double logDet = 0;
      for (int a = 0; a < e; a++) logDet += 2 * Math.log(l[a][a]);
      for (int a = 0; a < e; a++) for (int b = 0; b < e; b++) inverseFactorsT[j * e * e + a * e + b] = p[b][a];
      logConst[j] = Math.log(g.weights()[j]) - 0.5 * (e * Math.log(2 * Math.PI) + logDet);
    }
    String z64 = node("Cast", "z_f64", new String[] {z}, attrs(intAttr("to", TensorProto.DataType.DOUBLE.getNumber())));
    String z3 = node("Unsqueeze", "z_unsqueezed", z64, longs("axes_1", 1));
    String diff = node("Sub", "z_minus_means", z3, doubles("gmm_means", means, k, e)); // [N,k,e]
    String diffT = node("Transpose", "diff_by_cluster", new String[] {diff}, attrs(ints("perm", 1, 0, 2))); // [k,N,e]
    String white = node("MatMul", "whitened", diffT, doubles("gmm_inverse_cholesky_t", inverseFactorsT, k, e, e)); // [k,N,e]
    String maha = node("ReduceSumSquare", "mahalanobis", new String[] {white}, attrs(ints("axes", 2), intAttr("keepdims", 0))); // [k,N]
    String mahaT = node("Transpose", "mahalanobis_t", new String[] {maha}, attrs(ints("perm", 1, 0))); // [N,k]
    String logJoint = node("Add", "log_joint", node("Mul", "minus_half_maha", mahaT, doubleScalar("minus_half_f64", -0.5)),
        doubles("gmm_log_const", logConst, k));
    emit("ArgMax", LABEL, new String[] {logJoint}, attrs(intAttr("axis", 1), intAttr("keepdims", 0)));
    String posteriors = node("Softmax", "posteriors_f64", new String[] {logJoint}, attrs(intAttr("axis", 1)));
    emit("Cast", PROBABILITIES, new String[] {posteriors}, attrs(intAttr("to", TensorProto.DataType.FLOAT.getNumber())));
  }

  // ------------------------------------------------------------------ protobuf helpers

  private String fresh(String base) {
    String name = base;
    while (!names.add(name)) name = base + "_" + (++counter);
    return name;
  }

  private String node(String op, String outBase, String... inputs) {
    return emit(op, fresh(outBase), inputs, attrs());
  }

  private String node(String op, String outBase, String[] inputs, AttributeProto[] attributes) {
    return emit(op, fresh(outBase), inputs, attributes);
  }

  private String emit(String op, String output, String[] inputs, AttributeProto[] attributes) {
    names.add(output);
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(output + "_" + op).addOutput(output);
    for (String in : inputs) n.addInput(in);
    for (AttributeProto a : attributes) n.addAttribute(a);
    graph.addNode(n);
    return output;
  }

  /** A float initializer (raw little-endian data). Re-uses an initializer of the same name (shared constants). */
  private String floats(String name, float[] values, long... dims) {
    if (names.contains(name)) return name;
    names.add(name);
    ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(values);
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber())
        .setRawData(ByteString.copyFrom(buf.array()));
    for (long dim : dims) t.addDims(dim);
    graph.addInitializer(t);
    return name;
  }

  /** A double initializer (raw little-endian data). */
  private String doubles(String name, double[] values, long... dims) {
    if (names.contains(name)) return name;
    names.add(name);
    ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    buf.asDoubleBuffer().put(values);
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.DOUBLE.getNumber())
        .setRawData(ByteString.copyFrom(buf.array()));
    for (long dim : dims) t.addDims(dim);
    graph.addInitializer(t);
    return name;
  }

  private String doubleScalar(String name, double value) {
    if (names.contains(name)) return name;
    names.add(name);
    graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.DOUBLE.getNumber()).addDoubleData(value));
    return name;
  }

  private String scalar(String name, float value) {
    return floats(name, new float[] {value});
  }

  private String longs(String name, long... values) {
    if (names.contains(name)) return name;
    names.add(name);
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64.getNumber())
        .addDims(values.length);
    for (long v : values) t.addInt64Data(v);
    graph.addInitializer(t);
    return name;
  }

  private static AttributeProto[] attrs(AttributeProto... a) { return a; }

  private static AttributeProto intAttr(String name, long v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
  }

  private static AttributeProto floatAttr(String name, float v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
  }

  private static AttributeProto ints(String name, long... v) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long x : v) a.addInts(x);
    return a.build();
  }

  private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object dim : dims) {
      TensorShapeProto.Dimension.Builder b = TensorShapeProto.Dimension.newBuilder();
      if (dim instanceof String s) b.setDimParam(s);
      else b.setDimValue(((Number) dim).longValue());
      shape.addDim(b);
    }
    return ValueInfoProto.newBuilder().setName(name)
        .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape)))
        .build();
  }

  private static float[] flatten(float[][] m) {
    int c = m[0].length;
    float[] f = new float[m.length * c];
    for (int i = 0; i < m.length; i++) System.arraycopy(m[i], 0, f, i * c, c);
    return f;
  }

  private static String sanitize(String s) {
    return s.replaceAll("[^A-Za-z0-9_]", "_");
  }
}
