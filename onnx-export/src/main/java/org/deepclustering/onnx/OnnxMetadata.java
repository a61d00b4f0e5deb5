package org.deepclustering.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deepclustering.onnx.ExportSpec.CentroidSpec;
import org.deepclustering.onnx.ExportSpec.GaussianMixtureSpec;
import org.deepclustering.onnx.ExportSpec.StudentTSpec;

/** The metadata_props keys of an exported model, and the writer that puts an {@link ExportSpec} into ONNX form. */
public final class OnnxMetadata {
  /** Name of the training method, e.g. "IDEC". */
  public static final String ALGORITHM = "algorithm";
  /** Number of clusters k (decimal). */
  public static final String K = "k";
  /** Input attribute names in column order, as a JSON list of strings. */
  public static final String ATTRIBUTE_NAMES = "attribute_names";
  /** deep-clustering library version that wrote the model. */
  public static final String LIBRARY_VERSION = "library_version";
  /** Input scaling baked into the graph: NONE, MIN_MAX, Z_SCORE, SAMPLE_L2 or UNIT_MEAN_SQUARE. */
  public static final String SCALING = "scaling";
  /** Input width d and embedding width (decimal). */
  public static final String INPUT_DIM = "input_dim";
  public static final String EMBEDDING_DIM = "embedding_dim";
  /** Head type: "centroid", "student-t" or "gaussian-mixture". */
  public static final String HEAD = "head";
  /** What "probabilities" holds: "student-t-q", "student-t-alpha1-distance-kernel" or "gmm-posterior". */
  public static final String PROBABILITIES = "probabilities";
  /** Student-t degrees of freedom α (student-t head only). */
  public static final String ALPHA = "alpha";

  private static final ObjectMapper JSON = new ObjectMapper();

  private OnnxMetadata() {}

  /** The metadata of a spec: the keys above, then the spec's own extra entries. */
  static Map<String, String> of(ExportSpec spec, String libraryVersion) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(ALGORITHM, spec.algorithm());
    m.put(K, Integer.toString(spec.head().numClusters()));
    try {
      m.put(ATTRIBUTE_NAMES, JSON.writeValueAsString(spec.featureNames()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    m.put(LIBRARY_VERSION, libraryVersion);
    m.put(SCALING, spec.preprocessing().scaling());
    m.put(INPUT_DIM, Integer.toString(spec.inputDim()));
    m.put(EMBEDDING_DIM, Integer.toString(spec.embeddingDim()));
    if (spec.head() instanceof StudentTSpec s) {
      m.put(HEAD, "student-t");
      m.put(PROBABILITIES, "student-t-q");
      m.put(ALPHA, Double.toString(s.alpha()));
    } else if (spec.head() instanceof CentroidSpec) {
      m.put(HEAD, "centroid");
      m.put(PROBABILITIES, "student-t-alpha1-distance-kernel");
    } else if (spec.head() instanceof GaussianMixtureSpec) {
      m.put(HEAD, "gaussian-mixture");
      m.put(PROBABILITIES, "gmm-posterior");
    }
    spec.metadata().forEach(m::putIfAbsent);
    return m;
  }

  /** The ONNX model of a spec (dense weights stored transposed for Gemm transB=1). */
  public static ModelProto toModel(ExportSpec spec, String libraryVersion) {
    return OnnxGraphBuilder.build(spec, of(spec, libraryVersion), libraryVersion, true);
  }

  /** As {@link #toModel(ExportSpec, String)}, choosing the weight layout (for benchmarks). */
  static ModelProto toModel(ExportSpec spec, String libraryVersion, boolean transposedWeights) {
    return OnnxGraphBuilder.build(spec, of(spec, libraryVersion), libraryVersion, transposedWeights);
  }
}
