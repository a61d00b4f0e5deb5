package org.deepclustering.algorithms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** DEKM's linear algebra: S_w (3), the ascending eigendecomposition (4), loss (6) and its gradient. */
class DekmMathTest {

  @Test
  void withinClassScatterOfAHandExample() {
    // clusters {(0,0),(2,0)} mean (1,0); {(5,5),(5,9)} mean (5,7); {(1,1),(3,3)} mean (2,2)
    float[] h = {0, 0, 2, 0, 5, 5, 5, 9, 1, 1, 3, 3};
    int[] labels = {0, 0, 1, 1, 2, 2};
    double[][] mu = DEKM.clusterMeans(h, 6, 2, labels, 3, new float[3][2]);
    assertArrayEquals(new double[] {1, 0}, mu[0], 0);
    assertArrayEquals(new double[] {5, 7}, mu[1], 0);
    assertArrayEquals(new double[] {2, 2}, mu[2], 0);
    double[][] sw = DEKM.withinClassScatter(h, 6, 2, labels, mu);
    // [[2,0],[0,0]] + [[0,0],[0,8]] + [[2,2],[2,2]]
    assertArrayEquals(new double[] {4, 2}, sw[0], 1e-12);
    assertArrayEquals(new double[] {2, 10}, sw[1], 1e-12);

    SymmetricEigen.Result eig = SymmetricEigen.decompose(sw);
    // trace 14, determinant 36: eigenvalues 7 ∓ √13, ascending
    assertEquals(7 - Math.sqrt(13), eig.values()[0], 1e-12);
    assertEquals(7 + Math.sqrt(13), eig.values()[1], 1e-12);
    // the last eigenvector (largest eigenvalue) leans to the second axis, where the scatter is larger
    double[] last = eig.vector(1);
    assertTrue(Math.abs(last[1]) > Math.abs(last[0]));
    checkDecomposition(sw, eig);
  }

  @Test
  void eigenOfAHandExampleIsAscendingWithKnownVectors() {
    double[][] a = {{2, 1, 0}, {1, 2, 0}, {0, 0, 5}};
    SymmetricEigen.Result eig = SymmetricEigen.decompose(a);
    assertArrayEquals(new double[] {1, 3, 5}, eig.values(), 1e-12);
    double s = Math.sqrt(0.5);
    assertArrayEquals(new double[] {s, -s, 0}, eig.vector(0), 1e-12); // sign: largest-magnitude entry positive (first of ties)
    assertArrayEquals(new double[] {s, s, 0}, eig.vector(1), 1e-12);
    assertArrayEquals(new double[] {0, 0, 1}, eig.vector(2), 1e-12);
    checkDecomposition(a, eig);
  }

  @Test
  void eigenOfRandomSymmetricMatricesIsOrthonormalAndDiagonalising() {
    SplittableRandom r = new SplittableRandom(3);
    for (int d : new int[] {1, 2, 5, 10, 16}) {
      double[][] b = new double[d][d];
      for (double[] row : b) for (int j = 0; j < d; j++) row[j] = r.nextGaussian();
      double[][] a = new double[d][d];
      for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) for (int q = 0; q < d; q++) a[i][j] += b[i][q] * b[j][q];
      checkDecomposition(a, SymmetricEigen.decompose(a));
    }
    assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.decompose(new double[][] {{1, 2}, {0, 1}}));
    assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.decompose(new double[][] {{1, 2}}));
  }

  /** V orthonormal, Vᵀ A V diagonal with the eigenvalues in ascending order. */
  private static void checkDecomposition(double[][] a, SymmetricEigen.Result eig) {
    int d = a.length;
    double[][] v = eig.vectors();
    double scale = 1;
    for (double[] row : a) for (double x : row) scale = Math.max(scale, Math.abs(x));
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double dot = 0;
        double vav = 0;
        for (int q = 0; q < d; q++) {
          dot += v[q][i] * v[q][j];
          for (int p = 0; p < d; p++) vav += v[q][i] * a[q][p] * v[p][j];
        }
        assertEquals(i == j ? 1 : 0, dot, 1e-12, "VᵀV at " + i + "," + j);
        assertEquals(i == j ? eig.values()[i] : 0, vav, 1e-10 * scale, "VᵀAV at " + i + "," + j);
      }
      if (i > 0) assertTrue(eig.values()[i - 1] <= eig.values()[i], "ascending");
    }
  }

  @Test
  void lossGradientMatchesFiniteDifferences() {
    SplittableRandom r = new SplittableRandom(7);
    int b = 4, e = 5;
    double[][] s = new double[e][e];
    for (int i = 0; i < e; i++) for (int j = 0; j <= i; j++) s[i][j] = s[j][i] = r.nextGaussian();
    double[][] v = SymmetricEigen.decompose(s).vectors();
    float[] z = new float[b * e];
    for (int i = 0; i < z.length; i++) z[i] = (float) r.nextGaussian();
    double[] target = new double[b * e];
    for (int i = 0; i < target.length; i++) target[i] = r.nextGaussian();
    float[] grad = new float[b * e];
    double weight = 1.0 / b;
    DEKM.lossAndGradient(z, b, e, target, v, weight, grad);
    float eps = 1e-2f;
    for (int i = 0; i < z.length; i++) {
      float[] zp = z.clone();
      float[] zm = z.clone();
      zp[i] += eps;
      zm[i] -= eps;
      double lp = DEKM.lossAndGradient(zp, b, e, target, v, weight, new float[b * e]);
      double lm = DEKM.lossAndGradient(zm, b, e, target, v, weight, new float[b * e]);
      double numeric = (lp - lm) / ((double) zp[i] - zm[i]);
      assertEquals(numeric, grad[i], 1e-4 * Math.max(1, Math.abs(numeric)), "coordinate " + i);
    }
  }

  @Test
  void atTheRoundStartOnlyTheLastCoordinatePulls() {
    // with z = h (start of a round) the targets differ from Vᵀz only in the last coordinate, so the gradient is
    // 2/b · (v_lastᵀ h_i − v_lastᵀ μ_{c_i}) · v_last
    SplittableRandom r = new SplittableRandom(11);
    int n = 6, e = 3, k = 2;
    float[] h = new float[n * e];
    for (int i = 0; i < h.length; i++) h[i] = (float) r.nextGaussian();
    int[] labels = {0, 1, 0, 1, 1, 0};
    double[][] mu = DEKM.clusterMeans(h, n, e, labels, k, new float[k][e]);
    double[][] v = SymmetricEigen.decompose(DEKM.withinClassScatter(h, n, e, labels, mu)).vectors();
    double[] targets = DEKM.rotatedTargets(h, n, e, labels, mu, v);
    float[] grad = new float[n * e];
    DEKM.lossAndGradient(h, n, e, targets, v, 1.0 / n, grad);
    for (int i = 0; i < n; i++) {
      double rLast = 0;
      for (int a = 0; a < e; a++) rLast += v[a][e - 1] * (h[i * e + a] - mu[labels[i]][a]);
      for (int a = 0; a < e; a++) assertEquals(2.0 / n * rLast * v[a][e - 1], grad[i * e + a], 1e-5);
    }
  }

  @Test
  void clusterMatchingUndoesAPermutation() {
    int[] previous = {0, 0, 1, 1, 2, 2, 2};
    int[] current = {2, 2, 0, 0, 1, 1, 0};
    int[] map = DEKM.matchClusters(previous, current, 3);
    assertArrayEquals(new int[] {1, 2, 0}, map);
    int[] mapped = new int[current.length];
    for (int i = 0; i < current.length; i++) mapped[i] = map[current[i]];
    assertEquals(1.0 / 7, DEKM.changedFraction(previous, mapped), 1e-15);
  }

  @Test
  void configRejectsBadValuesWithTheirNames() {
    DEKM.Config d = DEKM.Config.defaults(3);
    assertEquals(10, d.updateInterval());
    assertEquals(14000, d.maxIterations());
    var e = assertThrows(IllegalArgumentException.class, () -> d.withUpdateInterval(0));
    assertTrue(e.getMessage().contains("updateInterval"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> d.withTolerance(1.5));
    assertTrue(e.getMessage().contains("tolerance"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> d.withLearningRate(-1));
    assertTrue(e.getMessage().contains("learningRate"), e.getMessage());
  }
}
