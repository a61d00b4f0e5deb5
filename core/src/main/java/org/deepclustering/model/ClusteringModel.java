package org.deepclustering.model;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.OutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deepclustering.data.DataValidation;
import org.deepclustering.data.Dataset;
import org.deepclustering.data.Scaler;
import org.deepclustering.nn.Autoencoder;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained deep clustering model: fitted input scaling → encoder f → {@link ClusterHead}. Immutable; produced by
 * every algorithm's {@code fit}. Save with {@link #save(Path)}, load with {@link #load(Path)}; also
 * {@link Serializable} (as its saved bytes) so it can live inside a serialised Weka clusterer.
 */
public final class ClusteringModel implements Serializable {
  @Serial private static final long serialVersionUID = 1L;
  /** Version of the on-disk format; bumped when it changes incompatibly. */
  public static final int FORMAT_VERSION = 1;

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final transient String algorithm;
  private final transient Map<String, Object> parameters;
  private final transient List<String> featureNames;
  private final transient Scaler scaler;
  private final transient Autoencoder autoencoder;
  private final transient ClusterHead head;
  private final transient TrainingSummary summary;

  public ClusteringModel(String algorithm, Map<String, Object> parameters, List<String> featureNames, Scaler scaler,
      Autoencoder autoencoder, ClusterHead head, TrainingSummary summary) {
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    this.parameters = parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    this.featureNames = List.copyOf(featureNames);
    this.scaler = Objects.requireNonNull(scaler, "scaler");
    this.autoencoder = Objects.requireNonNull(autoencoder, "autoencoder");
    this.head = Objects.requireNonNull(head, "head");
    this.summary = Objects.requireNonNull(summary, "summary");
    if (scaler.inputDim() != autoencoder.inputDim() || featureNames.size() != autoencoder.inputDim()) {
      throw new IllegalArgumentException("scaler (" + scaler.inputDim() + "), feature names (" + featureNames.size()
          + ") and autoencoder (" + autoencoder.inputDim() + ") disagree on the input width");
    }
    if (head.embeddingDim() != autoencoder.embeddingDim()) {
      throw new IllegalArgumentException("cluster head expects embeddings of width " + head.embeddingDim()
          + " but the encoder produces " + autoencoder.embeddingDim());
    }
  }

  /** Cluster label 0..k-1 of each row. */
  public int[] predict(Dataset data) {
    float[] z = embeddingArray(data);
    return head.assign(z, data.rows());
  }

  /**
   * Soft assignments, n x k row-major, rows summing to 1: the method's own when {@link #hasNativeSoftAssignments()},
   * else the distance-based fallback described in {@link CentroidHead}.
   */
  public double[] probabilities(Dataset data) {
    return head.probabilities(embeddingArray(data), data.rows());
  }

  /** Whether the method defines soft assignments (DEC/IDEC q, DC-GMM posteriors). */
  public boolean hasNativeSoftAssignments() { return head.nativeProbabilities(); }

  /** Embeddings z = f(scale(x)), n x embeddingDim. */
  public INDArray encode(Dataset data) {
    DataValidation.requireColumns(data, scaler.inputDim());
    return autoencoder.encode(scaler.transform(data).toINDArray());
  }

  private float[] embeddingArray(Dataset data) {
    if (data.rows() == 0) return new float[0];
    return encode(data).dup('c').data().asFloat();
  }

  public String algorithm() { return algorithm; }
  public Map<String, Object> parameters() { return parameters; }
  public List<String> featureNames() { return featureNames; }
  public Scaler scaler() { return scaler; }
  /** A copy of the trained autoencoder (the encoder is what the model uses; the decoder is kept for inspection). */
  public Autoencoder autoencoder() { return autoencoder.copy(); }
  public ClusterHead head() { return head; }
  public TrainingSummary summary() { return summary; }
  public int numClusters() { return head.numClusters(); }
  public int inputDim() { return scaler.inputDim(); }
  public int embeddingDim() { return head.embeddingDim(); }

  // ---------------------------------------------------------------- persistence

  /** Saves to a zip file: {@code model.json} (everything but the weights) and {@code autoencoder.bin}. */
  public void save(Path path) throws IOException {
    try (OutputStream out = Files.newOutputStream(path)) {
      write(out);
    }
  }

  public static ClusteringModel load(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      return read(in);
    }
  }

  public void write(OutputStream out) throws IOException {
    ZipOutputStream zip = new ZipOutputStream(out);
    ObjectNode meta = JSON.createObjectNode();
    meta.put("formatVersion", FORMAT_VERSION);
    meta.put("library", "deep-clustering " + LibraryVersion.get());
    meta.put("algorithm", algorithm);
    meta.set("parameters", JSON.valueToTree(parameters));
    meta.set("featureNames", JSON.valueToTree(featureNames));
    meta.set("scaler", JSON.valueToTree(scaler));
    meta.set("head", JSON.valueToTree(head));
    meta.set("summary", JSON.valueToTree(summary));
    zip.putNextEntry(new ZipEntry("model.json"));
    zip.write(JSON.writeValueAsBytes(meta));
    zip.closeEntry();
    zip.putNextEntry(new ZipEntry("autoencoder.bin"));
    autoencoder.write(zip);
    zip.closeEntry();
    zip.finish();
    out.flush();
  }

  public static ClusteringModel read(InputStream in) throws IOException {
    ZipInputStream zip = new ZipInputStream(in);
    JsonNode meta = null;
    Autoencoder ae = null;
    for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
      byte[] bytes = zip.readAllBytes();
      switch (e.getName()) {
        case "model.json" -> meta = JSON.readTree(bytes);
        case "autoencoder.bin" -> ae = Autoencoder.read(new ByteArrayInputStream(bytes));
        default -> { }
      }
    }
    if (meta == null || ae == null) throw new IOException("not a deep-clustering model file (model.json or autoencoder.bin missing)");
    int version = meta.path("formatVersion").asInt(-1);
    if (version != FORMAT_VERSION) {
      throw new IOException("model format version " + version + " is not supported by this library (expects " + FORMAT_VERSION + ")");
    }
    return new ClusteringModel(
        meta.get("algorithm").asText(),
        JSON.convertValue(meta.get("parameters"), new TypeReference<LinkedHashMap<String, Object>>() {}),
        JSON.convertValue(meta.get("featureNames"), new TypeReference<List<String>>() {}),
        JSON.treeToValue(meta.get("scaler"), Scaler.class),
        ae,
        JSON.treeToValue(meta.get("head"), ClusterHead.class),
        JSON.treeToValue(meta.get("summary"), TrainingSummary.class));
  }

  /** The saved bytes of this model. */
  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static ClusteringModel fromBytes(byte[] bytes) throws IOException {
    return read(new ByteArrayInputStream(bytes));
  }

  @Serial
  private Object writeReplace() { return new SerializedForm(toBytes()); }

  @Serial
  private void readObject(ObjectInputStream in) throws java.io.InvalidObjectException {
    throw new java.io.InvalidObjectException("serialization proxy required");
  }

  /** Java-serialization proxy: the model's saved bytes. */
  private record SerializedForm(byte[] bytes) implements Serializable {
    @Serial
    private Object readResolve() throws java.io.ObjectStreamException {
      try {
        return fromBytes(bytes);
      } catch (IOException e) {
        java.io.InvalidObjectException ex = new java.io.InvalidObjectException("corrupt model bytes: " + e.getMessage());
        ex.initCause(e);
        throw ex;
      }
    }
  }

  @Override
  public String toString() {
    return algorithm + " model: " + inputDim() + " features -> " + embeddingDim() + "-d embedding -> " + numClusters() + " clusters";
  }
}
