package org.deepclustering.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an exported clustering model with ONNX Runtime: labels, probabilities and embeddings for rows of raw
 * (unscaled) features; the model applies the fitted scaling itself.
 *
 * <p>Rows are processed in chunks of {@link Options#batchSize()} through one reused direct input buffer, so a
 * clusterer is not thread-safe: its methods are synchronized; use one instance per thread for parallel inference.
 * Close it to release the native session.
 */
public final class OnnxClusterer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxClusterer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Session settings.
   *
   * @param cuda ask for the CUDA execution provider (falls back to CPU, with one warning, when unavailable)
   * @param cudaDevice GPU index for CUDA
   * @param intraOpThreads threads per operator; 0 = number of available processors
   * @param batchSize rows per ONNX Runtime call: larger inputs are split into chunks of this size. Default 128:
   *     the activations of a chunk then stay in cache; for a 784-500-500-2000-10 encoder, 1024-row calls ran 1.6x
   *     faster in chunks of 128 than in one piece (docs-onnx-notes.md)
   * @param allowSpinning whether idle intra-op threads busy-wait for work (ONNX Runtime's own default). Off by
   *     default here: on a shared 2-core machine spinning threads compete with the threads doing the work, and
   *     turning it off measured 2.5-2.7x faster at batch 1 and 64 (about equal at 1024); see docs-onnx-notes.md.
   *     Turn it on for a dedicated machine with spare cores
   */
  public record Options(boolean cuda, int cudaDevice, int intraOpThreads, int batchSize, boolean allowSpinning) {
    public Options {
      if (intraOpThreads < 0) throw new IllegalArgumentException("intraOpThreads must be >= 0");
      if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1");
    }

    /** CPU, one thread per available processor, no spinning, chunks of 128 rows. */
    public static Options defaults() { return new Options(false, 0, 0, 128, false); }

    public Options withCuda(int device) { return new Options(true, device, intraOpThreads, batchSize, allowSpinning); }

    public Options withIntraOpThreads(int threads) { return new Options(cuda, cudaDevice, threads, batchSize, allowSpinning); }

    public Options withBatchSize(int rows) { return new Options(cuda, cudaDevice, intraOpThreads, rows, allowSpinning); }

    public Options withSpinning(boolean spin) { return new Options(cuda, cudaDevice, intraOpThreads, batchSize, spin); }
  }

  /** All outputs for a set of rows. {@code transformedEmbeddings} is null when the model has none (non-DEKM). */
  public record Result(int[] labels, float[][] probabilities, float[][] embeddings, float[][] transformedEmbeddings) {}

  private final OrtEnvironment env;
  private final OrtSession session;
  private final boolean usingCuda;
  private final int inputDim;
  private final int numClusters;
  private final int embeddingDim;
  private final boolean hasTransformed;
  private final Map<String, String> metadata;
  private final List<String> attributeNames;
  private final int batchSize;
  private final FloatBuffer inputBuffer;

  private OnnxClusterer(byte[] model, Options options) throws OrtException {
    Objects.requireNonNull(options, "options");
    this.env = OrtEnvironment.getEnvironment();
    boolean cuda = false;
    SessionOptions so = sessionOptions(options);
    OrtSession s;
    try {
      if (options.cuda()) {
        try {
          so.addCUDA(options.cudaDevice());
          cuda = true;
        } catch (OrtException | UnsatisfiedLinkError | RuntimeException e) {
          LOG.warn("CUDA execution provider not available ({}); running ONNX model on CPU", firstLine(e));
          so.close();
          so = sessionOptions(options);
        }
      }
      if (cuda) {
        try {
          s = env.createSession(model, so);
        } catch (OrtException e) {
          // the provider was added but could not start (e.g. cuDNN missing): same fallback
          LOG.warn("CUDA execution provider failed to start ({}); running ONNX model on CPU", firstLine(e));
          cuda = false;
          so.close();
          so = sessionOptions(options);
          s = env.createSession(model, so);
        }
      } else {
        s = env.createSession(model, so);
      }
    } finally {
      so.close();
    }
    this.session = s;
    this.usingCuda = cuda;
    try {
      Map<String, String> custom = new LinkedHashMap<>(session.getMetadata().getCustomMetadata());
      this.metadata = Collections.unmodifiableMap(custom);
      long[] inShape = ((ai.onnxruntime.TensorInfo) session.getInputInfo().get(OnnxGraphBuilder.INPUT).getInfo()).getShape();
      this.inputDim = (int) inShape[1];
      this.embeddingDim = (int) outputWidth(OnnxGraphBuilder.EMBEDDING);
      this.numClusters = (int) outputWidth(OnnxGraphBuilder.PROBABILITIES);
      this.hasTransformed = session.getOutputNames().contains(OnnxGraphBuilder.TRANSFORMED);
      String names = custom.get(OnnxMetadata.ATTRIBUTE_NAMES);
      this.attributeNames = names == null ? List.of() : List.copyOf(JSON.readValue(names, new TypeReference<List<String>>() {}));
    } catch (OrtException | IOException | RuntimeException e) {
      session.close();
      throw new IllegalArgumentException("not a deep-clustering ONNX model (expects input 'input' [N,d] and outputs "
          + "'embedding', 'probabilities', 'label'): " + e.getMessage(), e);
    }
    this.batchSize = options.batchSize();
    this.inputBuffer = ByteBuffer.allocateDirect(batchSize * inputDim * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  /** Loads an exported model on the CPU with default options. */
  public static OnnxClusterer load(Path path) throws IOException, OrtException {
    return load(path, Options.defaults());
  }

  public static OnnxClusterer load(Path path, Options options) throws IOException, OrtException {
    return new OnnxClusterer(Files.readAllBytes(path), options);
  }

  /** Loads a model from its bytes (e.g. {@link OnnxExporter#toBytes}). */
  public static OnnxClusterer fromBytes(byte[] model, Options options) throws OrtException {
    return new OnnxClusterer(model, options);
  }

  private static SessionOptions sessionOptions(Options options) throws OrtException {
    SessionOptions so = new SessionOptions();
    try {
      so.setOptimizationLevel(SessionOptions.OptLevel.ALL_OPT);
      so.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
      so.setIntraOpNumThreads(options.intraOpThreads() > 0 ? options.intraOpThreads() : Runtime.getRuntime().availableProcessors());
      so.setInterOpNumThreads(1);
      so.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING);
      so.addConfigEntry("session.intra_op.allow_spinning", options.allowSpinning() ? "1" : "0");
      return so;
    } catch (OrtException e) {
      so.close();
      throw e;
    }
  }

  private long outputWidth(String name) throws OrtException {
    var info = session.getOutputInfo().get(name);
    if (info == null) throw new IllegalArgumentException("output '" + name + "' missing");
    return ((ai.onnxruntime.TensorInfo) info.getInfo()).getShape()[1];
  }

  // ------------------------------------------------------------------ inference

  /** Cluster label 0..k-1 of each row. */
  public synchronized int[] predict(float[][] rows) {
    return run(rows, Set.of(OnnxGraphBuilder.LABEL)).labels();
  }

  /** Soft assignments, one row of k values summing to 1 per input row (see docs/onnx.md for their meaning per head). */
  public synchronized float[][] probabilities(float[][] rows) {
    return run(rows, Set.of(OnnxGraphBuilder.PROBABILITIES)).probabilities();
  }

  /** Embeddings z = f(scale(x)). */
  public synchronized float[][] embeddings(float[][] rows) {
    return run(rows, Set.of(OnnxGraphBuilder.EMBEDDING)).embeddings();
  }

  /** DEKM's transformed embeddings y = V z; throws when the model has no transform. */
  public synchronized float[][] transformedEmbeddings(float[][] rows) {
    if (!hasTransformed) throw new IllegalStateException("this model has no transformed_embedding output (only DEKM models do)");
    return run(rows, Set.of(OnnxGraphBuilder.TRANSFORMED)).transformedEmbeddings();
  }

  /** All outputs in one pass. */
  public synchronized Result run(float[][] rows) {
    Set<String> all = hasTransformed
        ? Set.of(OnnxGraphBuilder.LABEL, OnnxGraphBuilder.PROBABILITIES, OnnxGraphBuilder.EMBEDDING, OnnxGraphBuilder.TRANSFORMED)
        : Set.of(OnnxGraphBuilder.LABEL, OnnxGraphBuilder.PROBABILITIES, OnnxGraphBuilder.EMBEDDING);
    return run(rows, all);
  }

  private Result run(float[][] rows, Set<String> wanted) {
    validate(rows);
    int n = rows.length;
    int[] labels = wanted.contains(OnnxGraphBuilder.LABEL) ? new int[n] : null;
    float[][] probs = wanted.contains(OnnxGraphBuilder.PROBABILITIES) ? new float[n][] : null;
    float[][] emb = wanted.contains(OnnxGraphBuilder.EMBEDDING) ? new float[n][] : null;
    float[][] trans = wanted.contains(OnnxGraphBuilder.TRANSFORMED) ? new float[n][] : null;
    for (int start = 0; start < n; start += batchSize) {
      int m = Math.min(batchSize, n - start);
      inputBuffer.clear();
      for (int i = 0; i < m; i++) inputBuffer.put(rows[start + i]);
      inputBuffer.flip();
      try (OnnxTensor input = OnnxTensor.createTensor(env, inputBuffer, new long[] {m, inputDim});
           OrtSession.Result out = session.run(Map.of(OnnxGraphBuilder.INPUT, input), wanted)) {
        if (labels != null) {
          LongBuffer lb = ((OnnxTensor) out.get(OnnxGraphBuilder.LABEL).get()).getLongBuffer();
          for (int i = 0; i < m; i++) labels[start + i] = (int) lb.get(i);
        }
        if (probs != null) copyRows(out, OnnxGraphBuilder.PROBABILITIES, probs, start, m, numClusters);
        if (emb != null) copyRows(out, OnnxGraphBuilder.EMBEDDING, emb, start, m, embeddingDim);
        if (trans != null) copyRows(out, OnnxGraphBuilder.TRANSFORMED, trans, start, m, embeddingDim);
      } catch (OrtException e) {
        throw new IllegalStateException("ONNX Runtime failed on rows " + start + ".." + (start + m - 1) + ": " + e.getMessage(), e);
      }
    }
    return new Result(labels, probs, emb, trans);
  }

  private static void copyRows(OrtSession.Result out, String name, float[][] target, int start, int m, int width) {
    OnnxValue v = out.get(name).orElseThrow();
    FloatBuffer fb = ((OnnxTensor) v).getFloatBuffer();
    for (int i = 0; i < m; i++) {
      float[] row = new float[width];
      fb.get(row);
      target[start + i] = row;
    }
  }

  private void validate(float[][] rows) {
    if (rows == null) throw new IllegalArgumentException("no input rows (null)");
    if (rows.length == 0) throw new IllegalArgumentException("empty batch: at least one row is needed");
    for (int i = 0; i < rows.length; i++) {
      float[] r = rows[i];
      if (r == null) throw new IllegalArgumentException("row " + i + " is null");
      if (r.length != inputDim) {
        throw new IllegalArgumentException("row " + i + " has " + r.length + " features, but the model expects " + inputDim
            + (attributeNames.isEmpty() ? "" : " (" + abbreviate(attributeNames) + ")"));
      }
      for (int j = 0; j < r.length; j++) {
        if (!Float.isFinite(r[j])) {
          throw new IllegalArgumentException("row " + i + ", column " + j
              + (j < attributeNames.size() ? " ('" + attributeNames.get(j) + "')" : "") + " is " + r[j]
              + ": inputs must be finite (replace missing values before clustering)");
        }
      }
    }
  }

  // ------------------------------------------------------------------ metadata

  /** The algorithm that trained the model (metadata key {@value OnnxMetadata#ALGORITHM}). */
  public String algorithm() { return metadata.getOrDefault(OnnxMetadata.ALGORITHM, "unknown"); }

  /** Number of clusters k. */
  public int numClusters() { return numClusters; }

  /** Input width d. */
  public int inputDim() { return inputDim; }

  public int embeddingDim() { return embeddingDim; }

  /** Input attribute names in column order (empty when the model carries none). */
  public List<String> attributeNames() { return attributeNames; }

  /** All metadata_props of the model. */
  public Map<String, String> metadata() { return metadata; }

  public boolean hasTransformedEmbedding() { return hasTransformed; }

  /** True when the session runs on the CUDA execution provider. */
  public boolean usingCuda() { return usingCuda; }

  /** "CUDA" or "CPU". */
  public String executionProvider() { return usingCuda ? "CUDA" : "CPU"; }

  @Override
  public synchronized void close() {
    try {
      session.close();
    } catch (OrtException e) {
      LOG.warn("closing the ONNX Runtime session failed: {}", e.getMessage());
    }
  }

  private static String abbreviate(List<String> names) {
    return names.size() <= 5 ? String.join(", ", names) : String.join(", ", names.subList(0, 5)) + ", ...";
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
