package org.deepclustering.algorithms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.deepclustering.data.Dataset;
import org.deepclustering.data.Scaling;
import org.deepclustering.nn.OptimizerConfig;
import org.deepclustering.nn.PretrainingConfig;
import org.deepclustering.testing.TinyConfigs;
import org.deepclustering.train.TrainingDivergedException;
import org.deepclustering.train.TrainingInterruptedException;
import org.junit.jupiter.api.Test;

/** What every method's fit promises: input checks, reproducibility, interruption, divergence errors. */
class FitContractTest {
  private static Dataset blobs(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] x = new double[n][6];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 3;
      for (int j = 0; j < 6; j++) x[i][j] = (j % 3 == y[i] ? 4 : 0) + r.nextGaussian() * 0.5;
    }
    return Dataset.of(x).withLabels(y, null);
  }

  private static AutoencoderKMeans method(int k, long seed, int epochs) {
    return new AutoencoderKMeans(AutoencoderKMeans.Config.defaults(k).withCommon(TinyConfigs.common(k, 16, 8, 2, epochs, seed, Scaling.Z_SCORE)));
  }

  @Test
  void sameSeedGivesSameLabelsAndDifferentSeedMayDiffer() {
    Dataset data = blobs(300, 1);
    int[] a = method(3, 42, 5).fit(data).predict(data);
    int[] b = method(3, 42, 5).fit(data).predict(data);
    assertArrayEquals(a, b);
    float[] ea = method(3, 42, 5).fit(data).encode(data).ravel().toFloatVector();
    float[] ec = method(3, 43, 5).fit(data).encode(data).ravel().toFloatVector();
    assertFalse(java.util.Arrays.equals(ea, ec), "a different seed should give a different network");
  }

  @Test
  void badInputGivesClearMessages() {
    var e = assertThrows(IllegalArgumentException.class, () -> method(3, 0, 1).fit(Dataset.of(new double[0][])));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> method(5, 0, 1).fit(blobs(4, 0)));
    assertTrue(e.getMessage().contains("5 clusters") && e.getMessage().contains("4 rows"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> method(0, 0, 1));
    assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
    double[][] withNaN = {{1, 2}, {Double.NaN, 1}, {3, 3}};
    e = assertThrows(IllegalArgumentException.class, () -> method(2, 0, 1).fit(Dataset.of(withNaN)));
    assertTrue(e.getMessage().contains("row 1"), e.getMessage());
    double[][] constantColumn = {{1, 5}, {2, 5}, {3, 5}};
    e = assertThrows(IllegalArgumentException.class, () -> method(2, 0, 1).fit(Dataset.of(constantColumn)));
    assertTrue(e.getMessage().contains("zero variance") && e.getMessage().contains("x1"), e.getMessage());
  }

  @Test
  void interruptStopsTrainingWithinAMiniBatch() throws Exception {
    Dataset data = blobs(3000, 2);
    AtomicInteger epochsSeen = new AtomicInteger();
    Throwable[] thrown = new Throwable[1];
    Thread worker = new Thread(() -> {
      try {
        method(3, 0, 100_000).fit(data, e -> epochsSeen.incrementAndGet());
      } catch (Throwable t) {
        thrown[0] = t;
      }
    });
    worker.start();
    while (epochsSeen.get() < 2) Thread.sleep(5);
    worker.interrupt();
    worker.join(10_000);
    assertFalse(worker.isAlive(), "training did not stop after the interrupt");
    assertTrue(thrown[0] instanceof TrainingInterruptedException, "got " + thrown[0]);
  }

  @Test
  void divergenceNamesTheEpochAndSuggestsASmallerLearningRate() {
    CommonConfig common = TinyConfigs.common(3, 16, 8, 2, 5, 0, Scaling.NONE)
        .withPretraining(PretrainingConfig.builder().epochs(5).batchSize(32).optimizer(OptimizerConfig.sgd(1e6)).build());
    Dataset data = blobs(200, 3);
    var e = assertThrows(TrainingDivergedException.class,
        () -> new AutoencoderKMeans(AutoencoderKMeans.Config.defaults(3).withCommon(common)).fit(data));
    assertTrue(e.getMessage().contains("epoch") && e.getMessage().toLowerCase().contains("learning rate"), e.getMessage());
  }

  @Test
  void registryBuildsMethodsAndRejectsUnknownOptions() {
    CommonConfig common = CommonConfig.defaults(3);
    assertTrue(Algorithms.create("ae-kmeans", common, Map.of("kmeansRestarts", "3")) instanceof AutoencoderKMeans);
    assertTrue(((AutoencoderKMeans) Algorithms.create("ae-kmeans", common, Map.of("kmeansRestarts", "3"))).config().kmeansRestarts() == 3);
    var e = assertThrows(IllegalArgumentException.class, () -> Algorithms.create("ae-kmeans", common, Map.of("gamma", "0.1")));
    assertTrue(e.getMessage().contains("kmeansRestarts"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Algorithms.create("nope", common, Map.of()));
    assertTrue(e.getMessage().contains("ae-kmeans"), e.getMessage());
  }
}
