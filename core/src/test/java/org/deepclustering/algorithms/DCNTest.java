package org.deepclustering.algorithms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** DCN's update steps (6)-(8) on hand-computed and finite-difference examples. */
class DCNTest {

  @Test
  void penaltyGradientMatchesFiniteDifferences() {
    int b = 4, d = 3, k = 2;
    SplittableRandom r = new SplittableRandom(3);
    float[] z = new float[b * d];
    float[] m = new float[k * d];
    for (int i = 0; i < z.length; i++) z[i] = (float) r.nextGaussian();
    for (int i = 0; i < m.length; i++) m[i] = (float) r.nextGaussian();
    int[] s = {1, 0, 1, 1, 0, 0};   // assignments of rows 0..5
    int[] order = {5, 2, 0, 3, 1, 4}; // the batch is order[1..5): rows 2, 0, 3, 1
    double scale = 0.05 / (b * 7.0);  // λ / (B d) with d = 7 input features
    float[] dz = new float[b * d];
    DCN.penaltyGradient(z, b, d, m, s, order, 1, scale, dz);
    // Finite differences, in double, of scale * Σ_i ||z_i − m_{s_i}||² / 2.
    double h = 1e-4;
    for (int i = 0; i < b * d; i++) {
      double[] zd = new double[b * d];
      for (int t = 0; t < zd.length; t++) zd[t] = z[t];
      zd[i] += h;
      double up = penalty(zd, b, d, m, s, order, 1);
      zd[i] -= 2 * h;
      double down = penalty(zd, b, d, m, s, order, 1);
      double fd = scale * (up - down) / (2 * h);
      assertEquals(fd, dz[i], 1e-6 * Math.abs(fd) + 1e-9, "component " + i);
    }
    // The returned (unscaled) penalty equals the double-precision one.
    double[] zd = new double[b * d];
    for (int t = 0; t < zd.length; t++) zd[t] = z[t];
    assertEquals(penalty(zd, b, d, m, s, order, 1), DCN.penaltyGradient(z, b, d, m, s, order, 1, scale, dz), 1e-5);
  }

  private static double penalty(double[] z, int b, int d, float[] m, int[] s, int[] order, int from) {
    double sum = 0;
    for (int i = 0; i < b; i++) {
      int c = s[order[from + i]];
      for (int t = 0; t < d; t++) {
        double diff = z[i * d + t] - m[c * d + t];
        sum += diff * diff / 2;
      }
    }
    return sum;
  }

  @Test
  void centroidStepMatchesHandComputedExample() {
    // Two centroids in 2-d; cluster 1 starts at (1, 1) with count 3.
    float[] m = {0, 0, 1, 1};
    // A sample f(x) = (3, -1) assigned to it: count 4, m ← m − (1/4)(m − f(x)) = (1.5, 0.5), eq. (8).
    DCN.centroidStep(m, 1, 2, 4, new float[] {3, -1}, 0);
    assertArrayEquals(new float[] {0, 0, 1.5f, 0.5f}, m, 1e-6f);
    // The next sample (2, 3) with count 5: m ← (1.5, 0.5) − (1/5)(−0.5, −2.5) = (1.6, 1.0).
    DCN.centroidStep(m, 1, 2, 5, new float[] {9, 9, 2, 3}, 2);
    assertArrayEquals(new float[] {0, 0, 1.6f, 1.0f}, m, 1e-6f);
    // With the count started at 0, the first sample replaces the centroid: the running mean of its samples.
    float[] one = {5, 5};
    DCN.centroidStep(one, 0, 2, 1, new float[] {-1, 2}, 0);
    assertArrayEquals(new float[] {-1, 2}, one, 0f);
  }

  @Test
  void assignmentTakesTheNearestCentroid() {
    float[] m = {0, 0, 10, 0, 0, 10};
    assertEquals(0, DCN.nearestCentroid(new float[] {1, 1}, 0, m, 3, 2));
    assertEquals(1, DCN.nearestCentroid(new float[] {7, 2}, 0, m, 3, 2));
    assertEquals(2, DCN.nearestCentroid(new float[] {0, 0, 2, 9}, 2, m, 3, 2));
  }

  @Test
  void automaticBatchSizeIsOnePercentAtLeast32() {
    DCN.Config c = DCN.Config.defaults(3);
    assertEquals(32, c.effectiveBatchSize(1797));
    assertEquals(100, c.effectiveBatchSize(10_000));
    assertEquals(700, c.effectiveBatchSize(70_000));
    assertEquals(20, c.effectiveBatchSize(20));
    assertEquals(64, c.withBatchSize(64).effectiveBatchSize(1000));
  }

  @Test
  void badOptionsAreRejectedClearly() {
    var e = assertThrows(IllegalArgumentException.class, () -> DCN.Config.defaults(3).withLambda(-1));
    assertTrue(e.getMessage().contains("lambda") && e.getMessage().contains("0.05"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> DCN.Config.defaults(3).withInitialCount(-5));
    assertTrue(e.getMessage().contains("initialCount"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> DCN.Config.defaults(3).withLearningRate(0));
    assertTrue(e.getMessage().contains("learningRate"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> DCN.Config.defaults(3).withKmeansRefreshEpochs(-1));
    assertTrue(e.getMessage().contains("kmeansRefreshEpochs") && e.getMessage().contains("0 = never"), e.getMessage());
  }

  @Test
  void kmeansRefreshIsOffByDefaultAndSetByName() {
    assertEquals(0, DCN.Config.defaults(3).kmeansRefreshEpochs());
    DCN dcn = (DCN) Algorithms.create("dcn", CommonConfig.defaults(3), java.util.Map.of("kmeansRefreshEpochs", "10"));
    assertEquals(10, dcn.config().kmeansRefreshEpochs());
    assertEquals(10, dcn.config().withLambda(1).withEpochs(7).kmeansRefreshEpochs(), "kept by the with-methods");
  }
}
