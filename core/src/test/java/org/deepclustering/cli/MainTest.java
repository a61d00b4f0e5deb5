package org.deepclustering.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.deepclustering.model.ClusteringModel;
import org.deepclustering.model.PretrainedAutoencoder;
import org.deepclustering.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  private static String[] runCapturing(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new String[] {String.valueOf(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void clusterBundledDigitsPrintsSizesAndScoresAndSavesModel(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("m.zip");
    String[] r = runCapturing("cluster", "--hidden", "32,16", "--pretrain-epochs", "3", "--save", model.toString());
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].contains("1797 rows x 61 features, k = 10"), r[1]);
    assertTrue(r[1].contains("cluster  9:"), r[1]);
    assertTrue(r[1].matches("(?s).*cluster  0: +\\d+ \\( *[0-9.]+%\\) +class \\S+: \\d+%.*"), "each cluster names its classes: " + r[1]);
    assertTrue(r[1].matches("(?s).*ACC 0\\.\\d{4}  NMI 0\\.\\d{4}  ARI -?0\\.\\d{4}.*"), r[1]);
    assertTrue(r[2].contains("dropping 3 constant feature"), r[2]);
    assertEquals(10, ClusteringModel.load(model).numClusters());
  }

  @Test
  void benchmarkPrintsOneJsonLine() throws Exception {
    String[] r = runCapturing("benchmark", "--data", SharedData.file("iris.arff").toString(), "--hidden", "8,8", "--embedding", "2",
        "--pretrain-epochs", "2", "-m", "ae-gmm");
    assertEquals("0", r[0], r[2]);
    String[] lines = r[1].strip().split("\n");
    assertEquals(1, lines.length, r[1]);
    JsonNode json = new ObjectMapper().readTree(lines[0]);
    assertEquals("iris.arff", json.get("data").asText());
    assertEquals(150, json.get("n").asInt());
    assertEquals(4, json.get("d").asInt());
    assertEquals(3, json.get("k").asInt());
    assertEquals("AE+GMM", json.get("algorithm").asText());
    for (String f : new String[] {"acc", "nmi", "ari", "pretraining_s_per_epoch", "total_seconds", "peak_rss_mb", "parameters", "seed",
        "clustering_iterations", "stop_reason", "final_losses"}) {
      assertTrue(json.has(f), "missing " + f + " in " + lines[0]);
    }
    assertTrue(json.get("peak_rss_mb").asDouble() > 0);
    assertTrue(json.get("final_losses").has("mean-log-likelihood"), lines[0]);
  }

  /** The line names the method options that differ from the method's defaults; one set to its default is not named. */
  @Test
  void benchmarkNamesTheOptionsThatDifferFromTheDefaults() throws Exception {
    String iris = SharedData.file("iris.arff").toString();
    String[] r = runCapturing("benchmark", "--data", iris, "--hidden", "8", "--embedding", "2", "--pretrain-epochs", "1",
        "-m", "dekm", "--set", "updateInterval=4", "--set", "maxIterations=20", "--set", "tolerance=0.001");
    assertEquals("0", r[0], r[2]);
    JsonNode line = new ObjectMapper().readTree(r[1].strip());
    assertEquals(0.001, line.get("parameters").get("tolerance").asDouble(), "tolerance 0.001 is DEKM's default: " + r[1]);
    assertEquals("{\"updateInterval\":4,\"maxIterations\":20}", line.get("non_default_parameters").toString(), r[1]);
    r = runCapturing("benchmark", "--data", iris, "--hidden", "8", "--embedding", "2", "--pretrain-epochs", "1", "-m", "ae-kmeans");
    assertEquals("0", r[0], r[2]);
    assertEquals("{}", new ObjectMapper().readTree(r[1].strip()).get("non_default_parameters").toString(), r[1]);
  }

  /**
   * With --pretrained the line reports the loaded autoencoder's architecture and training length, not the command
   * line's defaults.
   */
  @Test
  void benchmarkReportsTheArchitectureActuallyTrained(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    String pre = dir.resolve("pre.zip").toString();
    String iris = SharedData.file("iris.arff").toString();
    String[] r = runCapturing("benchmark", "--data", iris, "--hidden", "8,6", "--embedding", "2", "--pretrain-epochs", "1",
        "--save-pretrained", pre);
    assertEquals("0", r[0], r[2]);
    JsonNode first = new ObjectMapper().readTree(r[1].strip());
    assertEquals(1, first.get("autoencoder_epochs").asInt(), r[1]);
    r = runCapturing("benchmark", "--data", iris, "--pretrained", pre, "-m", "ae-kmeans");
    assertEquals("0", r[0], r[2]);
    JsonNode line = new ObjectMapper().readTree(r[1].strip());
    JsonNode ae = line.get("autoencoder");
    assertEquals("[8,6]", ae.get("hiddenWidths").toString(), r[1]);
    assertEquals(2, ae.get("embeddingDim").asInt(), r[1]);
    assertEquals(0, line.get("pretraining_epochs").asInt(), r[1]);
    assertEquals(1, line.get("autoencoder_epochs").asInt(), "the loaded autoencoder's epochs: " + r[1]);
    assertEquals(first.get("autoencoder_reconstruction_loss").asDouble(), line.get("autoencoder_reconstruction_loss").asDouble(), r[1]);
    assertTrue(line.get("autoencoder_reconstruction_loss").asDouble() > 0, r[1]);
  }

  @Test
  void pretrainingOptimizerOptionsReachTheTrainedConfiguration() throws Exception {
    String iris = SharedData.file("iris.arff").toString();
    String[] r = runCapturing("benchmark", "--data", iris, "--hidden", "8", "--embedding", "2", "--pretrain-epochs", "2",
        "--pretrain-optimizer", "SGD_MOMENTUM", "--pretrain-lr", "0.5", "--pretrain-batch", "32",
        "--weight-init", "FAN_IN_UNIFORM");
    assertEquals("0", r[0], r[2]);
    JsonNode line = new ObjectMapper().readTree(r[1].strip());
    assertEquals("FAN_IN_UNIFORM", line.get("autoencoder").get("weightInit").asText(), r[1]);
    JsonNode pre = line.get("parameters").get("common").get("pretraining");
    assertEquals(32, pre.get("batchSize").asInt(), r[1]);
    assertEquals("SGD_MOMENTUM", pre.get("optimizer").get("type").asText(), r[1]);
    assertEquals(0.5, pre.get("optimizer").get("learningRate").asDouble(), r[1]);
    r = runCapturing("benchmark", "--data", iris, "--hidden", "8", "--pretrain-epochs", "1", "--pretrain-optimizer", "ADADELTA");
    assertEquals("0", r[0], r[2]);
    assertEquals(1.0, new ObjectMapper().readTree(r[1].strip()).get("parameters").get("common").get("pretraining")
        .get("optimizer").get("learningRate").asDouble(), "ADADELTA defaults to learning rate 1: " + r[1]);
    r = runCapturing("cluster", "--data", iris, "--pretrain-epochs", "1", "--pretrain-lr", "-1");
    assertEquals("2", r[0], r[2]);
    assertTrue(r[2].contains("learningRate must be positive") && !r[2].contains("\tat "), r[2]);
  }

  /** DCN's set-up from the command line: batch norm and layer-wise pretraining reach the trained configuration. */
  @Test
  void batchNormAndLayerwiseOptionsReachTheTrainedConfiguration(@TempDir Path dir) throws Exception {
    String iris = SharedData.file("iris.arff").toString();
    Path pre = dir.resolve("pre.zip");
    String[] r = runCapturing("benchmark", "--data", iris, "--hidden", "8,6", "--embedding", "2", "--pretrain-epochs", "1",
        "--batch-norm", "--layerwise-epochs", "2", "--layerwise-corruption", "0.1", "-m", "dcn", "--set", "epochs=1", "-v",
        "--save-pretrained", pre.toString());
    assertEquals("0", r[0], r[2]);
    JsonNode line = new ObjectMapper().readTree(r[1].strip());
    assertTrue(line.get("autoencoder").get("batchNorm").asBoolean(), r[1]);
    JsonNode pretraining = line.get("parameters").get("common").get("pretraining");
    assertTrue(pretraining.get("layerwise").asBoolean(), r[1]);
    assertEquals(2, pretraining.get("layerwiseEpochs").asInt(), r[1]);
    assertEquals(0.1, pretraining.get("layerwiseCorruption").asDouble(), r[1]);
    for (int layer = 1; layer <= 3; layer++) {
      assertTrue(r[2].contains("layerwise-" + layer), "stage layerwise-" + layer + " ran: " + r[2]);
    }
    assertFalse(r[2].contains("layerwise-4"), "three layer pairs for 8,6 -> 2: " + r[2]);
    assertEquals(2, line.get("autoencoder_layerwise_epochs").asInt(), r[1]);
    assertEquals(2, PretrainedAutoencoder.load(pre).layerwiseEpochs(), "the saved autoencoder records its layer-wise stage");
    r = runCapturing("benchmark", "--data", iris, "--pretrained", pre.toString(), "-m", "ae-kmeans");
    assertEquals("0", r[0], r[2]);
    line = new ObjectMapper().readTree(r[1].strip());
    assertEquals(2, line.get("autoencoder_layerwise_epochs").asInt(), "a run from the saved autoencoder reports it: " + r[1]);
    assertTrue(line.get("autoencoder").get("batchNorm").asBoolean(), r[1]);
    r = runCapturing("benchmark", "--data", iris, "--hidden", "8", "--pretrain-epochs", "1", "-m", "ae-kmeans");
    assertEquals("0", r[0], r[2]);
    line = new ObjectMapper().readTree(r[1].strip());
    assertFalse(line.get("autoencoder").get("batchNorm").asBoolean(), "off by default: " + r[1]);
    assertFalse(line.get("parameters").get("common").get("pretraining").get("layerwise").asBoolean(), r[1]);
    assertEquals(0, line.get("autoencoder_layerwise_epochs").asInt(), r[1]);
    r = runCapturing("cluster", "--data", iris, "--pretrain-epochs", "1", "--image-shape", "2,2,1", "--batch-norm");
    assertEquals("2", r[0], r[2]);
    assertTrue(r[2].contains("batch norm is not supported by the convolutional autoencoder") && !r[2].contains("\tat "), r[2]);
  }

  /** --save-pretrained-at saves the networks of shorter training lengths; runs from them report those lengths. */
  @Test
  void pretrainingSnapshotsAreSavedNextToTheAutoencoder(@TempDir Path dir) throws Exception {
    Path pre = dir.resolve("pre.zip");
    String iris = SharedData.file("iris.arff").toString();
    String[] r = runCapturing("benchmark", "--data", iris, "--hidden", "8,6", "--embedding", "2", "--pretrain-epochs", "3",
        "--save-pretrained", pre.toString(), "--save-pretrained-at", "1,2");
    assertEquals("0", r[0], r[2]);
    assertTrue(r[2].contains("after 2 pretraining epochs to " + dir.resolve("pre-e2.zip")), r[2]);
    var full = PretrainedAutoencoder.load(pre);
    var one = PretrainedAutoencoder.load(dir.resolve("pre-e1.zip"));
    var two = PretrainedAutoencoder.load(dir.resolve("pre-e2.zip"));
    assertEquals(3, full.epochs());
    assertEquals(1, one.epochs());
    assertEquals(2, two.epochs());
    assertTrue(two.seconds() <= full.seconds() && two.finalLoss() != full.finalLoss(), two + " vs " + full);
    assertNotEquals(two.autoencoder().paramsCopy(), full.autoencoder().paramsCopy());
    r = runCapturing("benchmark", "--data", iris, "--pretrained", dir.resolve("pre-e1.zip").toString(), "-m", "ae-kmeans");
    assertEquals("0", r[0], r[2]);
    JsonNode line = new ObjectMapper().readTree(r[1].strip());
    assertEquals(1, line.get("autoencoder_epochs").asInt(), r[1]);
    assertEquals(one.finalLoss(), line.get("autoencoder_reconstruction_loss").asDouble(), r[1]);
  }

  @Test
  void pretrainingSnapshotsNeedAFileAndEpochsWithinTheRun(@TempDir Path dir) {
    String iris = SharedData.file("iris.arff").toString();
    String[] r = runCapturing("benchmark", "--data", iris, "--hidden", "4", "--pretrain-epochs", "2", "--save-pretrained-at", "1");
    assertEquals("2", r[0], r[2]);
    assertTrue(r[2].contains("--save-pretrained-at needs --save-pretrained") && !r[2].contains("\tat "), r[2]);
    r = runCapturing("benchmark", "--data", iris, "--hidden", "4", "--pretrain-epochs", "2",
        "--save-pretrained", dir.resolve("p.zip").toString(), "--save-pretrained-at", "5");
    assertEquals("2", r[0], r[2]);
    assertTrue(r[2].contains("snapshot epoch 5 is outside the pretraining's 1..2 epochs") && !r[2].contains("\tat "), r[2]);
    assertEquals(dir.resolve("a-e7.zip"), RunOptions.snapshotFile(dir.resolve("a.zip"), 7));
    assertEquals(dir.resolve("a-e7"), RunOptions.snapshotFile(dir.resolve("a"), 7));
  }

  @Test
  void mainClassesNamesTheTwoLargestClassesOfACluster() {
    java.util.List<String> names = java.util.List.of("a", "b", "c");
    int[] classes = {0, 0, 1, 1, 1, 2, 2};
    int[] clusters = {0, 0, 0, 1, 1, 0, 1};
    assertEquals("class a: 50%, class b: 25%", ClusterCommand.mainClasses(classes, names, clusters, 0, 4));
    assertEquals("class b: 67%, class c: 33%", ClusterCommand.mainClasses(classes, names, clusters, 1, 3));
    assertEquals("(empty)", ClusterCommand.mainClasses(classes, names, clusters, 2, 0));
    // a pure cluster names one class; without class names the index is shown
    assertEquals("class 2: 100%", ClusterCommand.mainClasses(new int[] {2, 2}, java.util.List.of(), new int[] {0, 0}, 0, 2));
  }

  @Test
  void badUsageGivesMessageNotStackTrace() {
    String[] r = runCapturing("cluster", "--data", "/no/such/file.arff");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("no such data file"), r[2]);
    r = runCapturing("cluster", "-m", "unknown-method", "--pretrain-epochs", "1");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("unknown method") && r[2].contains("ae-kmeans"), r[2]);
    assertTrue(!r[2].contains("\tat "), "no stack trace expected: " + r[2]);
  }
}
