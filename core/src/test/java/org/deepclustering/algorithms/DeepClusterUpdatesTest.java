package org.deepclustering.algorithms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.deepclustering.cluster.GaussianMixtureModel;
import org.junit.jupiter.api.Test;

/** The closed-form ADMM sub-problem solutions of DC-Kmeans (10) and DC-GMM (14), and the M-step (15) used by DC-GMM. */
class DeepClusterUpdatesTest {

  /** Plain gradient descent in double on a smooth convex function, to convergence. */
  private interface Gradient {
    double[] at(double[] y);
  }

  private static double[] descend(double[] start, Gradient g, double step, int iterations) {
    double[] y = start.clone();
    for (int it = 0; it < iterations; it++) {
      double[] d = g.at(y);
      for (int j = 0; j < y.length; j++) y[j] -= step * d[j];
    }
    return y;
  }

  @Test
  void kmeansYUpdateMinimisesItsSubproblem() {
    SplittableRandom r = new SplittableRandom(1);
    for (int trial = 0; trial < 5; trial++) {
      int d = 4;
      double lambda = 0.1 + 3 * r.nextDouble();
      double rho = 0.1 + 3 * r.nextDouble();
      double[] t = gaussian(r, d);
      double[] m = gaussian(r, d);
      double[] closed = DeepClusterKMeans.updateY(t, m, lambda, rho);
      // gradient of λ/2||y − m||² + ρ/2||t − y||²
      double[] numeric = descend(new double[d], y -> {
        double[] g = new double[d];
        for (int j = 0; j < d; j++) g[j] = lambda * (y[j] - m[j]) + rho * (y[j] - t[j]);
        return g;
      }, 0.5 / (lambda + rho), 5000);
      assertArrayEquals(numeric, closed, 1e-10);
    }
  }

  @Test
  void nearestCentroidToFPlusUIsTheJointlyOptimalAssignment() {
    SplittableRandom r = new SplittableRandom(2);
    double lambda = 1.3, rho = 0.7;
    for (int trial = 0; trial < 20; trial++) {
      double[][] m = {gaussian(r, 3), gaussian(r, 3), gaussian(r, 3), gaussian(r, 3)};
      double[] t = gaussian(r, 3);
      int bestS = -1;
      double bestValue = Double.POSITIVE_INFINITY;
      for (int s = 0; s < m.length; s++) { // brute force over s, minimising over y for each
        double[] y = DeepClusterKMeans.updateY(t, m[s], lambda, rho);
        double value = lambda / 2 * sq(y, m[s]) + rho / 2 * sq(t, y);
        if (value < bestValue) {
          bestValue = value;
          bestS = s;
        }
      }
      assertEquals(bestS, DeepClusterKMeans.nearestCentroid(t, 0, m));
    }
  }

  @Test
  void gmmYUpdateMinimisesItsSubproblem() {
    SplittableRandom r = new SplittableRandom(3);
    int d = 3, k = 3;
    for (int trial = 0; trial < 5; trial++) {
      double lambda = 0.5 + r.nextDouble();
      double rho = 0.2 + r.nextDouble();
      double[][][] p = new double[k][][];
      double[][] mu = new double[k][];
      double[][] pmu = new double[k][d];
      double[] gamma = new double[k];
      double sum = 0;
      double lipschitz = rho;
      for (int c = 0; c < k; c++) {
        p[c] = randomSpd(r, d);
        mu[c] = gaussian(r, d);
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) pmu[c][i] += p[c][i][j] * mu[c][j];
        gamma[c] = r.nextDouble();
        sum += gamma[c];
      }
      for (int c = 0; c < k; c++) {
        gamma[c] /= sum;
        double frob = 0;
        for (double[] row : p[c]) for (double x : row) frob += x * x;
        lipschitz += lambda * gamma[c] * Math.sqrt(frob);
      }
      double[] t = gaussian(r, d);
      double[] closed = DeepClusterGMM.updateY(t, gamma, p, pmu, lambda, rho);
      // gradient of λ Σ_k γ_k ½ (y − μ_k)ᵀ P_k (y − μ_k) + ρ/2 ||t − y||²
      double[] numeric = descend(t, y -> {
        double[] g = new double[d];
        for (int c = 0; c < k; c++) {
          for (int i = 0; i < d; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) s += p[c][i][j] * (y[j] - mu[c][j]);
            g[i] += lambda * gamma[c] * s;
          }
        }
        for (int i = 0; i < d; i++) g[i] += rho * (y[i] - t[i]);
        return g;
      }, 1.0 / lipschitz, 200_000);
      assertArrayEquals(numeric, closed, 1e-8);
    }
  }

  @Test
  void gmmYUpdateWithHugeRhoStaysAtTheNetworkOutput() {
    double[] t = {1, -2};
    double[][][] p = {{{4, 1}, {1, 3}}};
    double[][] pmu = {{0, 0}};
    double[] y = DeepClusterGMM.updateY(t, new double[] {1}, p, pmu, 1, 1e9);
    assertArrayEquals(t, y, 1e-8);
  }

  @Test
  void mStepMatchesTheDirectFormulas() {
    double[][] x = {{0, 1}, {2, 3}, {4, 1}, {1, 0}, {3, 3}};
    double[][] g = {{0.9, 0.1}, {0.2, 0.8}, {0.5, 0.5}, {1, 0}, {0.3, 0.7}};
    double reg = 1e-3;
    GaussianMixtureModel m = GaussianMixtureModel.mStep(x, g, reg);
    for (int c = 0; c < 2; c++) {
      double nk = 0;
      double[] mean = new double[2];
      for (int i = 0; i < 5; i++) {
        nk += g[i][c];
        for (int j = 0; j < 2; j++) mean[j] += g[i][c] * x[i][j];
      }
      for (int j = 0; j < 2; j++) mean[j] /= nk;
      double[][] cov = new double[2][2];
      for (int i = 0; i < 5; i++) {
        for (int a = 0; a < 2; a++) for (int b = 0; b < 2; b++) cov[a][b] += g[i][c] * (x[i][a] - mean[a]) * (x[i][b] - mean[b]);
      }
      for (int a = 0; a < 2; a++) {
        for (int b = 0; b < 2; b++) cov[a][b] = cov[a][b] / nk + (a == b ? reg : 0);
        assertArrayEquals(cov[a], m.covariances()[c][a], 1e-12);
      }
      assertEquals(nk / 5, m.weights()[c], 1e-12);
      assertArrayEquals(mean, m.means()[c], 1e-12);
    }
  }

  @Test
  void covarianceFloorIsAFractionOfTheMeanCoordinateVarianceAndScalesWithTheEmbedding() {
    // rows (0, 0) and (2, 4): variances 1 and 4, mean 2.5
    float[] h = {0, 0, 2, 4};
    assertEquals(0.25, EmbeddingMath.covarianceFloor(h, 2, 2, 0.1), 1e-12);
    float[] scaled = {0, 0, 6, 12};
    assertEquals(9 * 0.25, EmbeddingMath.covarianceFloor(scaled, 2, 2, 0.1), 1e-12);
    float[] shifted = {5, -1, 7, 3};
    assertEquals(0.25, EmbeddingMath.covarianceFloor(shifted, 2, 2, 0.1), 1e-12);
    var e = assertThrows(IllegalStateException.class, () -> EmbeddingMath.covarianceFloor(new float[] {1, 2, 1, 2}, 2, 2, 0.1));
    assertTrue(e.getMessage().contains("same point"), e.getMessage());
  }

  @Test
  void configsCheckTheirValues() {
    DeepClusterKMeans.Config k = DeepClusterKMeans.Config.defaults(4);
    assertEquals(1.0, k.rho());
    assertEquals(100, k.batchSize());
    var e = assertThrows(IllegalArgumentException.class, () -> k.withRho(0));
    assertTrue(e.getMessage().contains("rho"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> k.withLambda(-1));
    assertTrue(e.getMessage().contains("lambda"), e.getMessage());
    DeepClusterGMM.Config g = DeepClusterGMM.Config.defaults(4);
    assertEquals(1000.0, g.rho());
    assertEquals(0.01, g.relativeCovarianceRegularisation());
    e = assertThrows(IllegalArgumentException.class, () -> new DeepClusterGMM.Config(g.common(), 1, 1, 1, 10, 0.001, 10, 1e-3, 1, 0));
    assertTrue(e.getMessage().contains("relativeCovarianceRegularisation"), e.getMessage());
  }

  private static double[] gaussian(SplittableRandom r, int d) {
    double[] v = new double[d];
    for (int i = 0; i < d; i++) v[i] = r.nextGaussian();
    return v;
  }

  private static double[][] randomSpd(SplittableRandom r, int d) {
    double[][] b = new double[d][d];
    for (double[] row : b) for (int j = 0; j < d; j++) row[j] = r.nextGaussian();
    double[][] a = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) for (int q = 0; q < d; q++) a[i][j] += b[i][q] * b[j][q];
      a[i][i] += 0.5;
    }
    return a;
  }

  private static double sq(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
    return s;
  }
}
