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
    out.println("cluster sizes:");
    for (int c = 0; c < sizes.length; c++) {
      out.printf("  cluster %2d: %6d (%5.1f%%)%n", c, sizes[c], 100.0 * sizes[c] / run.data.rows());
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
}
