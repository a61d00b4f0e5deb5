package org.deepclustering.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.deepclustering.algorithms.ClusteringAlgorithm;
import org.deepclustering.data.Dataset;
import org.deepclustering.metrics.ClusteringScores;
import org.deepclustering.model.ClusteringModel;
import org.deepclustering.model.PretrainedAutoencoder;
import org.deepclustering.train.TrainingEvent;
import org.deepclustering.train.TrainingListener;

/** One run shared by {@code cluster} and {@code benchmark}: load, pretrain (or reuse), cluster, score. */
final class Experiment {
  final Dataset data;
  final ClusteringAlgorithm algorithm;
  final PretrainedAutoencoder pretrained;
  final double pretrainingSeconds;
  final int pretrainingEpochs;
  final ClusteringModel model;
  final int[] labels;
  final ClusteringScores scores; // null when the data has no labels
  final double totalSeconds;

  private Experiment(Dataset data, ClusteringAlgorithm algorithm, PretrainedAutoencoder pretrained, double pretrainingSeconds,
      int pretrainingEpochs, ClusteringModel model, int[] labels, ClusteringScores scores, double totalSeconds) {
    this.data = data;
    this.algorithm = algorithm;
    this.pretrained = pretrained;
    this.pretrainingSeconds = pretrainingSeconds;
    this.pretrainingEpochs = pretrainingEpochs;
    this.model = model;
    this.labels = labels;
    this.scores = scores;
    this.totalSeconds = totalSeconds;
  }

  static Experiment run(RunOptions opts, PrintStream log) throws IOException {
    long start = System.nanoTime();
    // a usage error is reported before the data are read (MNIST-70k takes seconds)
    int[] snapshotEpochs = opts.savePretrainedAt != null ? opts.savePretrainedAt : new int[0];
    if (snapshotEpochs.length > 0 && (opts.savePretrained == null || opts.pretrained != null)) {
      throw new IllegalArgumentException("--save-pretrained-at needs --save-pretrained (the snapshots are saved next to"
          + " its file) and a pretraining run (not --pretrained)");
    }
    Dataset data = opts.prepare(opts.loadData(), log);
    int k = opts.numClusters(data);
    ClusteringAlgorithm algorithm = opts.algorithm(k);
    TrainingListener[] listeners = opts.verbose ? new TrainingListener[] {progress(log)} : new TrainingListener[0];
    PretrainedAutoencoder pretrained;
    double pretrainingSeconds = 0;
    int pretrainingEpochs = 0;
    if (opts.pretrained != null) {
      pretrained = PretrainedAutoencoder.load(opts.pretrained);
    } else {
      var common = algorithm.common();
      pretrained = PretrainedAutoencoder.train(data, common.scaling(), common.autoencoder(), common.pretraining(), common.seed(),
          snapshotEpochs, snapshot -> saveSnapshot(snapshot, RunOptions.snapshotFile(opts.savePretrained, snapshot.epochs()), log),
          listeners);
      pretrainingSeconds = pretrained.seconds();
      pretrainingEpochs = pretrained.epochs();
    }
    if (opts.savePretrained != null) pretrained.save(opts.savePretrained);
    ClusteringModel model = algorithm.fit(data, pretrained, listeners);
    int[] labels = model.predict(data);
    ClusteringScores scores = data.hasLabels() ? ClusteringScores.of(data.labels(), labels) : null;
    double total = (System.nanoTime() - start) / 1e9;
    return new Experiment(data, algorithm, pretrained, pretrainingSeconds, pretrainingEpochs, model, labels, scores, total);
  }

  private static void saveSnapshot(PretrainedAutoencoder snapshot, Path file, PrintStream log) {
    try {
      snapshot.save(file);
      log.println("saved the autoencoder after " + snapshot.epochs() + " pretraining epochs to " + file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the pretraining snapshot to " + file + ": " + e.getMessage(), e);
    }
  }

  private static TrainingListener progress(PrintStream log) {
    return (TrainingEvent e) -> {
      StringBuilder line = new StringBuilder();
      line.append(e.stage()).append(" epoch ").append(e.epoch());
      if (e.totalEpochs() > 0) line.append('/').append(e.totalEpochs());
      for (Map.Entry<String, Double> loss : e.losses().entrySet()) {
        line.append(String.format(" %s=%.5g", loss.getKey(), loss.getValue()));
      }
      if (!Double.isNaN(e.labelChangeFraction())) line.append(String.format(" changed=%.3f%%", 100 * e.labelChangeFraction()));
      line.append(String.format(" (%.1f s)", e.elapsedSeconds()));
      log.println(line);
    };
  }
}
