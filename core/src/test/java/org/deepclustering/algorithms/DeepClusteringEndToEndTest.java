package org.deepclustering.algorithms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.deepclustering.data.Dataset;
import org.deepclustering.data.Scaling;
import org.deepclustering.metrics.ClusteringScores;
import org.deepclustering.model.CentroidHead;
import org.deepclustering.model.ClusteringModel;
import org.deepclustering.model.PretrainedAutoencoder;
import org.deepclustering.model.StudentTHead;
import org.deepclustering.testing.SharedData;
import org.deepclustering.testing.TinyConfigs;
import org.deepclustering.train.TrainingDivergedException;
import org.deepclustering.train.TrainingEvent;
import org.deepclustering.train.TrainingInterruptedException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DCN, DEC and IDEC end to end on the digits data (1,797 x 61 after dropping 3 constant pixels, MIN_MAX scaling,
 * 61-128-64-10 network pretrained 30 epochs, seed 0), all from the same pretrained autoencoder as AE+KMeans.
 *
 * <p>Measured (IDEC and DEC with T = 30, at most 3,000 iterations, δ = 0.001; DCN 20 epochs with its defaults),
 * ACC / NMI for seeds 0, 1, 2:
 * <pre>
 *   AE+KMeans  0.703 / 0.696   0.692 / 0.689   0.750 / 0.707
 *   IDEC       0.799 / 0.819   0.728 / 0.736   0.802 / 0.804
 *   DEC        0.819 / 0.840   0.726 / 0.732   0.800 / 0.800
 *   DCN        0.711 / 0.705   0.684 / 0.692   0.762 / 0.715
 *   DCN, k-means refresh every 10 epochs (the authors' second code)
 *              0.720 / 0.715   0.684 / 0.694   0.765 / 0.722
 *   DEC, SGD 0.01 momentum 0.9 (DEC-Keras' clustering stage): 0.822 / 0.846 on seed 0
 * </pre>
 * IDEC and DEC gain at least 0.034 ACC and 0.043 NMI over AE+KMeans on every seed (asserted: 0.02); DCN stays within
 * 0.007 of it (asserted: 0.02). The absolute floors (seed 0) sit below the seed-0 values with a margin for
 * floating-point summation order.
 */
class DeepClusteringEndToEndTest {
  private static Dataset digits;
  private static CommonConfig common;
  private static PretrainedAutoencoder pretrained;
  private static ClusteringScores baseline;

  @BeforeAll
  static void pretrainOnce() {
    Dataset raw = SharedData.load("digits.arff.gz");
    digits = raw.withoutColumns(raw.constantColumns());
    common = TinyConfigs.common(10, 128, 64, 10, 30, Long.parseLong(System.getenv().getOrDefault("E2E_SEED", "0")), Scaling.MIN_MAX);
    pretrained = PretrainedAutoencoder.train(digits, common.scaling(), common.autoencoder(), common.pretraining(), common.seed());
    baseline = scores(new AutoencoderKMeans(AutoencoderKMeans.Config.defaults(10).withCommon(common)).fit(digits, pretrained));
    log("AE+KMeans", baseline);
  }

  private static ClusteringScores scores(ClusteringModel m) {
    return ClusteringScores.of(digits.labels(), m.predict(digits));
  }

  private static void log(String what, ClusteringScores s) {
    if (System.getenv("E2E_PRINT") != null) System.err.printf("MEASURED %s seed %d: %s%n", what, common.seed(), s);
  }

  private static IDEC idec(int maxIterations) {
    return new IDEC(IDEC.Config.defaults(10).withCommon(common).withUpdateInterval(30).withMaxIterations(maxIterations));
  }

  private static DEC dec(int maxIterations) {
    return new DEC(DEC.Config.defaults(10).withCommon(common).withUpdateInterval(30).withMaxIterations(maxIterations));
  }

  private static DCN dcn(int epochs) {
    return new DCN(DCN.Config.defaults(10).withCommon(common).withEpochs(epochs));
  }

  @Test
  void idecImprovesOnAutoencoderKMeans() {
    List<TrainingEvent> events = new ArrayList<>();
    ClusteringModel model = idec(3000).fit(digits, pretrained, events::add);
    ClusteringScores s = scores(model);
    log("IDEC", s);
    assertTrue(s.acc() >= 0.76 && s.nmi() >= 0.78, "IDEC " + s);
    assertTrue(s.acc() >= baseline.acc() + 0.02 && s.nmi() >= baseline.nmi() + 0.02, "IDEC " + s + " vs AE+KMeans " + baseline);
    assertTrue(model.summary().stopReason().startsWith("tolerance"), model.summary().stopReason());
    assertTrue(model.hasNativeSoftAssignments());
    assertTrue(events.size() >= 2 && events.stream().allMatch(e -> e.stage().equals("clustering")
        && e.losses().containsKey("reconstruction") && e.losses().containsKey("kl")));
    assertTrue(events.get(events.size() - 1).labelChangeFraction() < 0.001);
  }

  @Test
  void decImprovesOnAutoencoderKMeans() {
    ClusteringModel model = dec(3000).fit(digits, pretrained);
    ClusteringScores s = scores(model);
    log("DEC", s);
    assertTrue(s.acc() >= 0.77 && s.nmi() >= 0.79, "DEC " + s);
    assertTrue(s.acc() >= baseline.acc() + 0.02 && s.nmi() >= baseline.nmi() + 0.02, "DEC " + s + " vs AE+KMeans " + baseline);
  }

  @Test
  void decWithTheDecCodesSgdMomentumImprovesOnAutoencoderKMeans() {
    // DEC-Keras' clustering stage: SGD, learning rate 0.01, momentum 0.9, for the encoder and the centroids.
    DEC sgd = new DEC(DEC.Config.defaults(10).withCommon(common).withUpdateInterval(30).withMaxIterations(3000)
        .withOptimizer(ClusteringOptimizer.SGD_MOMENTUM, 0.01, 0.9));
    ClusteringModel model = sgd.fit(digits, pretrained);
    ClusteringScores s = scores(model);
    log("DEC (SGD momentum)", s);
    assertTrue(s.acc() >= 0.79 && s.nmi() >= 0.81, "DEC (SGD momentum) " + s);
    assertTrue(s.acc() >= baseline.acc() + 0.02 && s.nmi() >= baseline.nmi() + 0.02,
        "DEC (SGD momentum) " + s + " vs AE+KMeans " + baseline);
    assertFalse(java.util.Arrays.equals(model.predict(digits), dec(3000).fit(digits, pretrained).predict(digits)),
        "the optimizer option must reach the training loop");
  }

  @Test
  void dcnAtLeastMatchesAutoencoderKMeans() {
    List<TrainingEvent> events = new ArrayList<>();
    ClusteringModel model = dcn(20).fit(digits, pretrained, events::add);
    ClusteringScores s = scores(model);
    log("DCN", s);
    assertTrue(s.acc() >= 0.67 && s.nmi() >= 0.67, "DCN " + s);
    assertTrue(s.acc() >= baseline.acc() - 0.02 && s.nmi() >= baseline.nmi() - 0.02, "DCN " + s + " vs AE+KMeans " + baseline);
    assertEquals(20, events.size());
    assertTrue(events.stream().allMatch(e -> e.labelChangeFraction() >= 0 && e.labelChangeFraction() <= 1
        && e.losses().containsKey("kmeans")));
    assertEquals(20, model.summary().clusteringIterations());
  }

  @Test
  void dcnWithKMeansRefreshEndsAtALloydFixedPoint() {
    // Refresh at epochs 10 and 20 (the last): M is then k-means' own, every centroid the mean of its cluster.
    ClusteringModel refreshed = new DCN(DCN.Config.defaults(10).withCommon(common).withEpochs(20)
        .withKmeansRefreshEpochs(10)).fit(digits, pretrained);
    ClusteringModel plain = dcn(20).fit(digits, pretrained);
    double refreshedGap = centroidToClusterMeanGap(refreshed), plainGap = centroidToClusterMeanGap(plain);
    if (System.getenv("E2E_PRINT") != null) System.err.printf("MEASURED centroid gaps: refreshed %.5f, plain %.5f%n", refreshedGap, plainGap);
    // Measured, seeds 0-2: refreshed below 1e-5, the running averages of step (8) 0.041-0.059.
    assertTrue(refreshedGap < 1e-3, "refreshed centroids " + refreshedGap + " from their cluster means");
    assertTrue(plainGap > 0.01, "running-average centroids " + plainGap + " from their cluster means");
    ClusteringScores s = scores(refreshed);
    log("DCN (k-means refresh 10)", s);
    assertTrue(s.acc() >= baseline.acc() - 0.02 && s.nmi() >= baseline.nmi() - 0.02, "DCN refresh " + s + " vs " + baseline);
  }

  /** Largest distance from a centroid to the mean of its cluster's embeddings, relative to the embedding's RMS spread. */
  private static double centroidToClusterMeanGap(ClusteringModel model) {
    float[][] m = ((CentroidHead) model.head()).centroids();
    int[] labels = model.predict(digits);
    float[][] z = model.encode(digits).toFloatMatrix();
    int d = m[0].length;
    double[][] sum = new double[m.length][d];
    int[] count = new int[m.length];
    double[] mean = new double[d];
    for (int i = 0; i < z.length; i++) {
      count[labels[i]]++;
      for (int t = 0; t < d; t++) {
        sum[labels[i]][t] += z[i][t];
        mean[t] += z[i][t] / z.length;
      }
    }
    double spread = 0;
    for (float[] row : z) for (int t = 0; t < d; t++) spread += (row[t] - mean[t]) * (row[t] - mean[t]) / z.length;
    double worst = 0;
    for (int j = 0; j < m.length; j++) {
      if (count[j] == 0) continue;
      double dist = 0;
      for (int t = 0; t < d; t++) dist += Math.pow(sum[j][t] / count[j] - m[j][t], 2);
      worst = Math.max(worst, Math.sqrt(dist));
    }
    return worst / Math.sqrt(spread);
  }

  @Test
  void toleranceStopsAndIsReported() {
    // δ = 1: any update with fewer than 100 % changed labels stops, i.e. the first one after iteration 0.
    for (ClusteringAlgorithm m : new ClusteringAlgorithm[] {
        new IDEC(IDEC.Config.defaults(10).withCommon(common).withUpdateInterval(25).withTolerance(1.0)),
        new DEC(DEC.Config.defaults(10).withCommon(common).withUpdateInterval(25).withTolerance(1.0))}) {
      ClusteringModel model = m.fit(digits, pretrained);
      assertEquals(25, model.summary().clusteringIterations(), m.name());
      assertTrue(model.summary().stopReason().startsWith("tolerance"), model.summary().stopReason());
    }
  }

  @Test
  void maxIterationsIsRespected() {
    for (ClusteringAlgorithm m : new ClusteringAlgorithm[] {
        new IDEC(IDEC.Config.defaults(10).withCommon(common).withUpdateInterval(20).withTolerance(0).withMaxIterations(70)),
        new DEC(DEC.Config.defaults(10).withCommon(common).withUpdateInterval(20).withTolerance(0).withMaxIterations(70))}) {
      List<TrainingEvent> events = new ArrayList<>();
      ClusteringModel model = m.fit(digits, pretrained, events::add);
      assertEquals(70, model.summary().clusteringIterations(), m.name());
      assertTrue(model.summary().stopReason().startsWith("maxIterations"), model.summary().stopReason());
      assertEquals(3, events.size(), "target updates at iterations 20, 40, 60 report the rounds before them");
    }
  }

  @Test
  void saveLoadGivesIdenticalLabelsAndProbabilities() throws Exception {
    for (ClusteringAlgorithm method : new ClusteringAlgorithm[] {idec(150), dec(150), dcn(2)}) {
      ClusteringModel model = method.fit(digits, pretrained);
      ClusteringModel back = ClusteringModel.fromBytes(model.toBytes());
      assertArrayEquals(model.predict(digits), back.predict(digits), method.name());
      assertArrayEquals(model.probabilities(digits), back.probabilities(digits), method.name());
      assertEquals(model.parameters(), back.parameters());
      assertEquals(method.name(), back.algorithm());
      if (method instanceof DCN) assertTrue(back.head() instanceof CentroidHead);
      else assertTrue(back.head() instanceof StudentTHead);
    }
  }

  @Test
  void trainingLabelsEqualPredictions() {
    ClusteringModel model = idec(100).fit(digits, pretrained);
    int[] sizes = new int[10];
    for (int y : model.predict(digits)) sizes[y]++;
    assertArrayEquals(sizes, model.summary().clusterSizes());
  }

  @Test
  void sameSeedGivesSameLabels() {
    assertArrayEquals(idec(200).fit(digits, pretrained).predict(digits), idec(200).fit(digits, pretrained).predict(digits));
    assertArrayEquals(dec(200).fit(digits, pretrained).predict(digits), dec(200).fit(digits, pretrained).predict(digits));
    assertArrayEquals(dcn(2).fit(digits, pretrained).predict(digits), dcn(2).fit(digits, pretrained).predict(digits));
  }

  @Test
  void interruptDuringClusteringStage() throws Exception {
    ClusteringAlgorithm[] methods = {
        new IDEC(IDEC.Config.defaults(10).withCommon(common).withUpdateInterval(5).withTolerance(0).withMaxIterations(1_000_000)),
        new DEC(DEC.Config.defaults(10).withCommon(common).withUpdateInterval(5).withTolerance(0).withMaxIterations(1_000_000)),
        dcn(1_000_000)};
    for (ClusteringAlgorithm method : methods) {
      AtomicInteger rounds = new AtomicInteger();
      Throwable[] thrown = new Throwable[1];
      Thread worker = new Thread(() -> {
        try {
          method.fit(digits, pretrained, e -> rounds.incrementAndGet());
        } catch (Throwable t) {
          thrown[0] = t;
        }
      });
      worker.start();
      while (rounds.get() < 2 && worker.isAlive()) Thread.sleep(5);
      worker.interrupt();
      worker.join(20_000);
      assertFalse(worker.isAlive(), method.name() + " did not stop after the interrupt");
      assertTrue(thrown[0] instanceof TrainingInterruptedException, method.name() + " threw " + thrown[0]);
    }
  }

  @Test
  void divergingRunThrows() {
    var e = assertThrows(TrainingDivergedException.class,
        () -> new DCN(DCN.Config.defaults(10).withCommon(common).withEpochs(20).withLearningRate(1e4)).fit(digits, pretrained));
    assertTrue(e.getMessage().contains("clustering"), e.getMessage());
  }
}
