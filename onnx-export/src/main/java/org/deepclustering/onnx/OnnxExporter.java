package org.deepclustering.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deepclustering.model.ClusteringModel;
import org.deepclustering.model.LibraryVersion;

/**
 * Writes a trained {@link ClusteringModel} as a standard ONNX model (opset 17, IR version 8).
 *
 * <p>Graph: input {@code input} float32 [N, d] (N dynamic) → the model's fitted scaling → encoder → head; outputs
 * {@code embedding} [N, e], {@code probabilities} [N, k], {@code label} int64 [N] and, for DEKM models,
 * {@code transformed_embedding} [N, e]. The model's metadata_props carry the keys of {@link OnnxMetadata}.
 * See docs/onnx.md.
 */
public final class OnnxExporter {
  private OnnxExporter() {}

  /** Writes the ONNX model of {@code model} to {@code path} (replacing it). */
  public static void export(ClusteringModel model, Path path) throws IOException {
    byte[] bytes = toBytes(model);
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    Files.write(path, bytes);
  }

  /** Writes the ONNX model of {@code model} to a stream (not closed). */
  public static void export(ClusteringModel model, OutputStream out) throws IOException {
    toModel(model).writeTo(out);
  }

  /** The serialised ONNX model. */
  public static byte[] toBytes(ClusteringModel model) {
    return toModel(model).toByteArray();
  }

  /** The ONNX model as a protobuf message ({@code ai.onnx.proto.OnnxMl.ModelProto}). */
  public static ModelProto toModel(ClusteringModel model) {
    return OnnxMetadata.toModel(ModelSpecs.from(model), LibraryVersion.get());
  }
}
