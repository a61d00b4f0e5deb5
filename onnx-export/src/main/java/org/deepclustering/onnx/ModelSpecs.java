package org.deepclustering.onnx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deepclustering.data.Scaler;
import org.deepclustering.data.Scaling;
import org.deepclustering.model.CentroidHead;
import org.deepclustering.model.ClusterHead;
import org.deepclustering.model.ClusteringModel;
import org.deepclustering.model.GaussianMixtureHead;
import org.deepclustering.model.StudentTHead;
import org.deepclustering.nn.Activation;
import org.deepclustering.nn.BatchNormParams;
import org.deepclustering.nn.Conv2dLayerParams;
import org.deepclustering.nn.ConvGeometry;
import org.deepclustering.nn.DenseLayerParams;
import org.deepclustering.nn.LayerParams;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Converts a trained {@link ClusteringModel} into the exporter's plain-array {@link ExportSpec}. */
public final class ModelSpecs {
  private ModelSpecs() {}

  public static ExportSpec from(ClusteringModel model) {
    Scaler scaler = model.scaler();
    ExportSpec.Preprocessing pre = new ExportSpec.Preprocessing(scaler.scaling().name(), scaler.offset(), scaler.factor(),
        scaler.scaling() == Scaling.SAMPLE_L2);
    List<ExportSpec.EncoderLayer> layers = new ArrayList<>();
    for (LayerParams l : model.autoencoder().encoderStages()) {
      if (l instanceof DenseLayerParams d) layers.add(dense(d));
      else if (l instanceof Conv2dLayerParams c) layers.add(conv(c));
    }
    Map<String, String> extra = new LinkedHashMap<>();
    model.parameters().forEach((key, value) -> extra.put("param." + key, String.valueOf(value)));
    return new ExportSpec(model.algorithm(), model.featureNames(), pre, layers, head(model.head()), extra);
  }

  static ExportSpec.DenseLayer dense(DenseLayerParams l) {
    BatchNormParams bn = l.batchNorm();
    ExportSpec.BatchNorm b = bn == null ? null
        : new ExportSpec.BatchNorm(floats(bn.gamma()), floats(bn.beta()), floats(bn.runningMean()), floats(bn.runningVar()), bn.eps());
    return new ExportSpec.DenseLayer(l.inputSize(), l.outputSize(), floats(l.weight()), floats(l.bias()), b,
        activation(l.activation()), (float) Activation.LEAKY_SLOPE);
  }

  static ExportSpec.Conv2dLayer conv(Conv2dLayerParams c) {
    if (c.transposed()) throw new IllegalArgumentException("a transposed convolution cannot be part of the encoder");
    ConvGeometry g = c.geometry();
    return new ExportSpec.Conv2dLayer(g.imageH(), g.imageW(), g.imageC(), g.gridC(), g.kernel(), g.stride(), g.pad(), g.pad(),
        g.padEndH(), g.padEndW(), floats(c.weight()), floats(c.bias()), activation(c.activation()), (float) Activation.LEAKY_SLOPE);
  }

  static ExportSpec.Activation activation(Activation a) {
    return switch (a) {
      case RELU -> ExportSpec.Activation.RELU;
      case LEAKY_RELU -> ExportSpec.Activation.LEAKY_RELU;
      case TANH -> ExportSpec.Activation.TANH;
      case SIGMOID -> ExportSpec.Activation.SIGMOID;
      case ELU -> ExportSpec.Activation.ELU;
      case IDENTITY -> ExportSpec.Activation.IDENTITY;
    };
  }

  static ExportSpec.HeadSpec head(ClusterHead head) {
    if (head instanceof StudentTHead s) return new ExportSpec.StudentTSpec(s.centroids(), s.alpha());
    if (head instanceof CentroidHead c) return new ExportSpec.CentroidSpec(c.centroids(), c.transform());
    if (head instanceof GaussianMixtureHead g) return new ExportSpec.GaussianMixtureSpec(g.weights(), g.means(), g.covariances());
    throw new UnsupportedOperationException("ONNX export does not support cluster heads of type " + head.getClass().getSimpleName());
  }

  /** Row-major float copy of a matrix or vector. */
  private static float[] floats(INDArray a) {
    return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
  }
}
