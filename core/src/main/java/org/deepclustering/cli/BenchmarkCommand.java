package org.deepclustering.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deepclustering.algorithms.AbstractDeepClusterer;
import org.deepclustering.algorithms.Algorithms;
import org.deepclustering.algorithms.CommonConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code benchmark}: one run, one JSON line on standard output (data, n, d, k, method, parameters, seed,
 * ACC/NMI/ARI, pretraining s/epoch, times, peak memory). See docs/benchmarks.md.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
    description = "Run one method on one data set and print a single JSON line with quality, time and peak memory.")
final class BenchmarkCommand implements Callable<Integer> {
  @Mixin RunOptions opts;

  @Override
  public Integer call() throws Exception {
    Experiment run = Experiment.run(opts, System.err);
    ObjectMapper json = new ObjectMapper();
    ObjectNode line = json.createObjectNode();
    line.put("data", Path.of(opts.data).getFileName().toString());
    line.put("n", run.data.rows());
    line.put("d", run.data.cols());
    line.put("k", run.model.numClusters());
    line.put("algorithm", run.model.algorithm());
    line.set("parameters", json.valueToTree(run.model.parameters()));
    // what differs from the method's defaults, so that reports need not keep their own copy of the defaults
    line.set("non_default_parameters",
        nonDefaultParameters(json, line.get("parameters"), opts.method, run.model.numClusters()));
    // the architecture actually trained: with --pretrained it is the loaded autoencoder's, not the options' defaults
    line.set("autoencoder", json.valueToTree(run.pretrained.autoencoder().config()));
    line.put("seed", opts.seed);
    if (run.scores != null) {
      line.put("acc", run.scores.acc());
      line.put("nmi", run.scores.nmi());
      line.put("ari", run.scores.ari());
    }
    line.put("pretraining_epochs", run.pretrainingEpochs);
    line.put("pretraining_s_per_epoch", run.pretrainingEpochs > 0 ? run.pretrainingSeconds / run.pretrainingEpochs : 0.0);
    line.put("pretraining_seconds", run.pretrainingSeconds);
    // how the autoencoder the clustering stage started from was trained (with --pretrained: when it was saved), so
    // runs from autoencoders of different training lengths are never pooled
    line.put("autoencoder_epochs", run.pretrained.epochs());
    line.put("autoencoder_layerwise_epochs", run.pretrained.layerwiseEpochs());
    line.put("autoencoder_reconstruction_loss", run.pretrained.finalLoss());
    line.put("clustering_seconds", run.model.summary().clusteringSeconds());
    line.put("clustering_iterations", run.model.summary().clusteringIterations());
    line.put("stop_reason", run.model.summary().stopReason());
    line.set("final_losses", json.valueToTree(run.model.summary().finalLosses()));
    line.put("total_seconds", run.totalSeconds);
    line.put("peak_rss_mb", peakRssMegabytes());
    line.put("peak_heap_mb", peakHeapMegabytes());
    line.put("threads_available", Runtime.getRuntime().availableProcessors());
    System.out.println(json.writeValueAsString(line));
    return 0;
  }

  /**
   * The method's own options (not the shared "common" block) whose values differ from the defaults the method has
   * with no {@code --set}, e.g. {"updateInterval":40,"maxIterations":4000}.
   */
  static ObjectNode nonDefaultParameters(ObjectMapper json, JsonNode parameters, String method, int k) throws IOException {
    Object defaults = ((AbstractDeepClusterer) Algorithms.create(method, CommonConfig.defaults(k), Map.of())).config();
    // through JSON text, as the model's parameters are, so that numbers compare alike
    JsonNode defaultParameters = json.readTree(json.writeValueAsBytes(defaults));
    ObjectNode differing = json.createObjectNode();
    parameters.fieldNames().forEachRemaining(name -> {
      if (!name.equals("common") && !parameters.get(name).equals(defaultParameters.get(name))) {
        differing.set(name, parameters.get(name));
      }
    });
    return differing;
  }

  /** Peak resident set size of this process (Linux VmHWM; -1 elsewhere): heap plus ND4J's off-heap buffers. */
  static double peakRssMegabytes() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("VmHWM:")) return Long.parseLong(l.replaceAll("\\D+", "")) / 1024.0;
      }
    } catch (Exception e) {
      return -1;
    }
    return -1;
  }

  static double peakHeapMegabytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) sum += pool.getPeakUsage().getUsed();
    }
    return sum / (1024.0 * 1024.0);
  }
}
