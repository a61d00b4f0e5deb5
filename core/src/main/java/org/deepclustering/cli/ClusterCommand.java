package org.deepclustering.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deepclustering.model.TrainingSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cluster}: trains a method and prints the clustering and, when the data has classes, ACC/NMI/ARI. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "Cluster a data set and print cluster sizes and, if the data has a class attribute, ACC/NMI/ARI.")
final class ClusterCommand implements Callable<Integer> {
  @Mixin RunOptions opts;

  @Option(names = "--save", description = "Save the trained model to this file.")
  Path save;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    Experiment run = Experiment.run(opts, System.err);
    var model = run.model;
    TrainingSummary summary = model.summary();
    out.printf("%s on %s: %d rows x %d features, k = %d, seed %d%n", model.algorithm(), opts.data, run.data.rows(), run.data.cols(),
        model.numClusters(), opts.seed);
    if (run.pretrainingEpochs > 0) {
      out.printf("pretraining: %d epochs in %.1f s (%.3f s/epoch), reconstruction loss %.5f%n", run.pretrainingEpochs,
          run.pretrainingSeconds, run.pretrainingSeconds / run.pretrainingEpochs, run.pretrained.finalLoss());
    } else {
      out.printf("pretraining: reused %s%n", opts.pretrained);
    }
    out.printf("clustering: %d iterations in %.1f s, %s%n", summary.clusteringIterations(), summary.clusteringSeconds(), summary.stopReason());
    for (Map.Entry<String, Double> loss : summary.finalLosses().entrySet()) {
      out.printf("  final %s: %.6g%n", loss.getKey(), loss.getValue());
    }
    int[] sizes = TrainingSummary.sizes(run.labels, model.numClusters());
    int[] classes = run.data.hasLabels() ? run.data.labels() : null; // labels() copies: once, not per cluster
    out.println(classes != null ? "cluster sizes, and the classes that make up each cluster:" : "cluster sizes:");
    for (int c = 0; c < sizes.length; c++) {
      out.printf("  cluster %2d: %6d (%5.1f%%)%s%n", c, sizes[c], 100.0 * sizes[c] / run.data.rows(),
          classes != null ? "   " + mainClasses(classes, run.data.classNames(), run.labels, c, sizes[c]) : "");
    }
    if (run.scores != null) {
      out.printf("ACC %.4f  NMI %.4f  ARI %.4f  (purity %.4f) against the class attribute%n", run.scores.acc(), run.scores.nmi(),
          run.scores.ari(), run.scores.purity());
    }
    out.printf("total time %.1f s%n", run.totalSeconds);
    if (save != null) {
      model.save(save);
      out.println("model saved to " + save);
    }
    return 0;
  }

  /**
   * The two largest classes in cluster {@code cluster} with their share of it, e.g. "class 4: 52%, class 9: 45%":
   * shows at a glance which classes a clustering merges or splits.
   */
  static String mainClasses(int[] classes, java.util.List<String> classNames, int[] clusters, int cluster, int size) {
    if (size == 0) return "(empty)";
    int numClasses = Math.max(classNames.size(), java.util.Arrays.stream(classes).max().orElse(-1) + 1);
    int[] counts = new int[numClasses];
    for (int i = 0; i < clusters.length; i++) {
      if (clusters[i] == cluster && classes[i] >= 0) counts[classes[i]]++;
    }
    StringBuilder text = new StringBuilder();
    boolean[] shown = new boolean[numClasses];
    for (int rank = 0; rank < Math.min(2, numClasses); rank++) {
      int best = -1;
      for (int j = 0; j < numClasses; j++) {
        if (!shown[j] && (best < 0 || counts[j] > counts[best])) best = j;
      }
      if (counts[best] == 0) break;
      shown[best] = true;
      String name = best < classNames.size() ? classNames.get(best) : String.valueOf(best);
      text.append(rank == 0 ? "" : ", ").append("class ").append(name).append(": ")
          .append(Math.round(100.0 * counts[best] / size)).append('%');
    }
    return text.toString();
  }
}
