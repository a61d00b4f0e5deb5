package org.deepclustering.onnx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.deepclustering.data.Dataset;
import org.deepclustering.data.Scaler;
import org.deepclustering.io.ArffReader;
import org.deepclustering.model.ClusteringModel;
import org.deepclustering.model.StudentTHead;
import org.deepclustering.model.TrainingSummary;
import org.deepclustering.nn.Activation;
import org.deepclustering.nn.Autoencoder;
import org.deepclustering.nn.AutoencoderConfig;
import org.deepclustering.nn.NativeSetup;

/**
 * Inference throughput, ONNX Runtime (CPU) vs the library's own ND4J inference, for a d-500-500-2000-10 encoder with
 * a Student-t head (IDEC), in one run: samples/s for raw input → labels + probabilities at batch 1, 64 and 1024.
 *
 * <p>Usage: {@code InferenceBenchmark [data.arff[.gz]] [--seconds S] [--rounds R] [--threads T] [--spin]
 * [--chunk C] [--batches 1,64,1024] [--cuda DEVICE]}; {@code --cuda}: ONNX Runtime's CUDA execution provider (needs
 * the onnxruntime_gpu build, -Pcuda) instead of its CPU one. Without a data
 * file it uses uniform random rows of width 784. Prints one JSON line per batch size.
 */
public final class InferenceBenchmark {
  private InferenceBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path data = null;
    double seconds = 0.5;
    int rounds = 8;
    boolean spin = false;
    int chunk = OnnxClusterer.Options.defaults().batchSize();
    int threads = Runtime.getRuntime().availableProcessors();
    int[] batches = {1, 64, 1024};
    int cudaDevice = -1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Double.parseDouble(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--spin" -> spin = true;
        case "--cuda" -> cudaDevice = Integer.parseInt(args[++i]);
        case "--chunk" -> chunk = Integer.parseInt(args[++i]);
        case "--batches" -> batches = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
        default -> data = Path.of(args[i]);
      }
    }
    float[][] pool = null;
    if (data != null) {
      Dataset ds = ArffReader.read(data).head(4096);
      pool = new float[ds.rows()][];
      for (int i = 0; i < ds.rows(); i++) pool[i] = ds.row(i);
    } else {
      SplittableRandom r = new SplittableRandom(7);
      pool = new float[4096][784];
      for (float[] row : pool) for (int j = 0; j < row.length; j++) row[j] = (float) r.nextDouble();
    }
    int d = pool[0].length;
    ClusteringModel model = model(d, 10, 42);
    NativeSetup.ensureConfigured();
    byte[] onnx = OnnxExporter.toBytes(model);
    System.err.printf(Locale.ROOT, "model: %s; ONNX %d bytes; %d threads; ONNX Runtime %s; %s%n", model, onnx.length, threads,
        cudaDevice >= 0 ? "CUDA device " + cudaDevice : "CPU",
        data == null ? "random uniform input" : data);

    for (int b : batches) {
      float[][][] batchList = slices(pool, b);
      OnnxClusterer.Options ortOptions = OnnxClusterer.Options.defaults().withIntraOpThreads(threads).withBatchSize(chunk).withSpinning(spin);
      if (cudaDevice >= 0) ortOptions = ortOptions.withCuda(cudaDevice);
      try (OnnxClusterer ort = OnnxClusterer.fromBytes(onnx, ortOptions)) {
        // warm-up both
        timed(() -> ort.run(batchList[0]), 0.3);
        timed(() -> nd4j(model, batchList[0]), 0.3);
        // interleaved rounds: ONNX Runtime, then ND4J, each for `seconds`; the per-round ratio cancels most of the
        // drift of a shared machine. Also samples per second of process CPU time (all threads, native included).
        double[] o = new double[rounds];
        double[] n = new double[rounds];
        double[] ratio = new double[rounds];
        double oCpu = 0;
        double nCpu = 0;
        double oSamples = 0;
        double nSamples = 0;
        for (int r = 0; r < rounds; r++) {
          int[] idx = {0};
          long c0 = cpuNanos();
          double[] t = timedCalls(() -> ort.run(batchList[idx[0]++ % batchList.length]), seconds);
          long c1 = cpuNanos();
          double[] u = timedCalls(() -> nd4j(model, batchList[idx[0]++ % batchList.length]), seconds);
          long c2 = cpuNanos();
          o[r] = b * t[0] / t[1];
          n[r] = b * u[0] / u[1];
          ratio[r] = o[r] / n[r];
          oSamples += b * t[0];
          nSamples += b * u[0];
          oCpu += (c1 - c0) / 1e9;
          nCpu += (c2 - c1) / 1e9;
        }
        System.out.printf(Locale.ROOT,
            "{\"batch\":%d,\"onnxruntime_samples_per_s\":%.0f,\"nd4j_samples_per_s\":%.0f,\"ratio_onnx_over_nd4j\":%.2f,"
                + "\"onnxruntime_samples_per_cpu_s\":%.0f,\"nd4j_samples_per_cpu_s\":%.0f,"
                + "\"onnx_rounds\":%s,\"nd4j_rounds\":%s,\"threads\":%d,\"spinning\":%s,\"chunk\":%d,\"model\":\"%d-500-500-2000-10 student-t\"}%n",
            b, median(o), median(n), median(ratio), oSamples / oCpu, nSamples / nCpu, rounded(o), rounded(n), threads, spin, chunk, d);
      }
    }
  }

  /** The Java path: scaling + encoder + Student-t q, then labels = argmax q (one encoder pass). */
  static int[] nd4j(ClusteringModel model, float[][] rows) {
    double[] q = model.probabilities(Dataset.of(rows));
    int k = model.numClusters();
    int[] labels = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      int best = 0;
      for (int j = 1; j < k; j++) if (q[i * k + j] > q[i * k + best]) best = j;
      labels[i] = best;
    }
    return labels;
  }

  /** An untrained d-500-500-2000-10 ReLU encoder with a Student-t head (inference cost does not depend on training). */
  static ClusteringModel model(int d, int k, long seed) {
    AutoencoderConfig cfg = AutoencoderConfig.builder().hiddenWidths(500, 500, 2000).embeddingDim(10).activation(Activation.RELU).build();
    Autoencoder ae = Autoencoder.create(d, cfg, seed);
    SplittableRandom r = new SplittableRandom(seed);
    float[][] c = new float[k][10];
    for (float[] row : c) for (int j = 0; j < row.length; j++) row[j] = (float) r.nextGaussian();
    List<String> names = new ArrayList<>();
    for (int j = 0; j < d; j++) names.add("x" + j);
    return new ClusteringModel("IDEC", Map.of(), names, Scaler.identity(d), ae, new StudentTHead(c, 1.0),
        new TrainingSummary(0, 0, 0, 0, Map.of(), "benchmark", new int[0]));
  }

  /** Calls {@code task} repeatedly for about {@code seconds}; returns {calls, elapsed seconds}. */
  private static double[] timedCalls(Runnable task, double seconds) {
    long start = System.nanoTime();
    long limit = (long) (seconds * 1e9);
    int calls = 0;
    long now;
    do {
      task.run();
      calls++;
      now = System.nanoTime();
    } while (now - start < limit);
    return new double[] {calls, (now - start) / 1e9};
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** Calls {@code task} repeatedly for about {@code seconds}; returns calls per second. */
  private static double timed(Runnable task, double seconds) {
    long start = System.nanoTime();
    long limit = (long) (seconds * 1e9);
    int calls = 0;
    long now;
    do {
      task.run();
      calls++;
      now = System.nanoTime();
    } while (now - start < limit);
    return calls / ((now - start) / 1e9);
  }

  private static float[][][] slices(float[][] pool, int b) {
    int count = Math.max(1, pool.length / b);
    float[][][] s = new float[count][][];
    for (int i = 0; i < count; i++) {
      s[i] = new float[b][];
      for (int j = 0; j < b; j++) s[i][j] = pool[(i * b + j) % pool.length];
    }
    return s;
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
  }

  private static String rounded(double[] v) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ",").append(Math.round(v[i]));
    return sb.append(']').toString();
  }
}
