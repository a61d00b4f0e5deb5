package org.deepclustering.algorithms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The DEC/IDEC equations of {@link StudentTClustering}: hand-computed values and finite-difference gradients. */
class StudentTClusteringTest {

  @Test
  void softAssignmentMatchesHandComputedKernel() {
    // z = 0, μ = {0, 1}, α = 1: kernel (1+0)^-1 = 1 and (1+1)^-1 = 1/2, so q = (2/3, 1/3), eq. (3).
    double[] q = new double[2];
    StudentTClustering.softAssignment(new double[] {0}, 1, new double[] {0, 1}, 2, 1, 1.0, q);
    assertArrayEquals(new double[] {2.0 / 3, 1.0 / 3}, q, 1e-12);
    // α = 3: exponent -2, kernel (1 + 1/3)^-2 = 9/16 against 1, so q = (16/25, 9/25).
    StudentTClustering.softAssignment(new double[] {0}, 1, new double[] {0, 1}, 2, 1, 3.0, q);
    assertArrayEquals(new double[] {16.0 / 25, 9.0 / 25}, q, 1e-12);
  }

  @Test
  void targetDistributionMatchesHandComputedExample() {
    // q = [[0.5, 0.5], [0.8, 0.2]]: f = (1.3, 0.7), eq. (4).
    // row 0: (0.25/1.3, 0.25/0.7) normalised = (0.7, 1.3)/2 = (0.35, 0.65)
    // row 1: (0.64/1.3, 0.04/0.7) normalised = (0.448, 0.052)/0.5 = (0.896, 0.104)
    double[] p = new double[4];
    StudentTClustering.targetDistribution(new double[] {0.5, 0.5, 0.8, 0.2}, 2, 2, p);
    assertArrayEquals(new double[] {0.35, 0.65, 0.896, 0.104}, p, 1e-12);
  }

  @Test
  void klDivergenceAndLabels() {
    double[] p = {0.35, 0.65, 0.896, 0.104};
    double[] q = {0.5, 0.5, 0.8, 0.2};
    double expected = 0.35 * Math.log(0.7) + 0.65 * Math.log(1.3) + 0.896 * Math.log(1.12) + 0.104 * Math.log(0.52);
    assertEquals(expected, StudentTClustering.klDivergence(p, q, 2, 2), 1e-12);
    assertArrayEquals(new int[] {0, 0}, StudentTClustering.labels(q, 2, 2));
    assertArrayEquals(new int[] {1, 0}, StudentTClustering.labels(p, 2, 2));
    assertEquals(0.5, StudentTClustering.changedFraction(new int[] {1, 0}, new int[] {0, 0}));
  }

  /** Loss as the training uses it: batchmean KL with P fixed, as a function of z and μ. */
  private static double loss(double[] z, int n, double[] mu, int k, int d, double alpha, double[] p) {
    double[] q = new double[n * k];
    StudentTClustering.softAssignment(z, n, mu, k, d, alpha, q);
    return StudentTClustering.klDivergence(p, q, n, k) / n;
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    for (double alpha : new double[] {1.0, 0.5, 2.5}) {
      int n = 5, k = 3, d = 4;
      SplittableRandom r = new SplittableRandom(7);
      double[] z = new double[n * d], mu = new double[k * d];
      for (int i = 0; i < z.length; i++) z[i] = r.nextGaussian();
      for (int i = 0; i < mu.length; i++) mu[i] = r.nextGaussian();
      // P from a different configuration, so that P != Q and the gradient is not zero.
      double[] q0 = new double[n * k], p = new double[n * k];
      double[] z0 = z.clone();
      for (int i = 0; i < z0.length; i++) z0[i] += 0.5 * r.nextGaussian();
      StudentTClustering.softAssignment(z0, n, mu, k, d, alpha, q0);
      StudentTClustering.targetDistribution(q0, n, k, p);

      double[] q = new double[n * k];
      StudentTClustering.softAssignment(z, n, mu, k, d, alpha, q);
      double[] dz = new double[n * d], dmu = new double[k * d];
      StudentTClustering.gradientWrtEmbedding(z, n, mu, k, d, alpha, p, q, 1.0 / n, dz);   // eq. (9)
      StudentTClustering.gradientWrtCentroids(z, n, mu, k, d, alpha, p, q, 1.0 / n, dmu);  // eq. (10)
      double h = 1e-6;
      double maxAbs = 0;
      for (int i = 0; i < z.length; i++) {
        double keep = z[i];
        z[i] = keep + h;
        double up = loss(z, n, mu, k, d, alpha, p);
        z[i] = keep - h;
        double down = loss(z, n, mu, k, d, alpha, p);
        z[i] = keep;
        double fd = (up - down) / (2 * h);
        assertEquals(fd, dz[i], 1e-7 + 1e-5 * Math.abs(fd), "dL/dz[" + i + "] alpha " + alpha);
        maxAbs = Math.max(maxAbs, Math.abs(fd));
      }
      for (int i = 0; i < mu.length; i++) {
        double keep = mu[i];
        mu[i] = keep + h;
        double up = loss(z, n, mu, k, d, alpha, p);
        mu[i] = keep - h;
        double down = loss(z, n, mu, k, d, alpha, p);
        mu[i] = keep;
        double fd = (up - down) / (2 * h);
        assertEquals(fd, dmu[i], 1e-7 + 1e-5 * Math.abs(fd), "dL/dmu[" + i + "] alpha " + alpha);
      }
      assertTrue(maxAbs > 1e-3, "test example should have a non-trivial gradient");
    }
  }

  @Test
  void optionChecksNameTheOptionAndThePaperValue() {
    var e = assertThrows(IllegalArgumentException.class, () -> IDEC.Config.defaults(3).withUpdateInterval(0));
    assertTrue(e.getMessage().contains("updateInterval") && e.getMessage().contains("140"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> IDEC.Config.defaults(3).withGamma(-1));
    assertTrue(e.getMessage().contains("gamma"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> DEC.Config.defaults(3).withTolerance(1.5));
    assertTrue(e.getMessage().contains("DEC tolerance"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> DEC.Config.defaults(3).withBatchSize(0));
    assertTrue(e.getMessage().contains("batchSize"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Algorithms.create("idec", CommonConfig.defaults(3), java.util.Map.of("alpha", "-2")));
    assertTrue(e.getMessage().contains("alpha"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Algorithms.create("dec", CommonConfig.defaults(3), java.util.Map.of("gamma", "0.1")));
    assertTrue(e.getMessage().contains("unknown option 'gamma'"), e.getMessage());
  }

  @Test
  void momentumStepOfTheCentroidsOnAHandExample() {
    double[] mu = {1, 2}, v = new double[2], g = {0.5, -1};
    StudentTClustering.momentumStep(mu, v, g, 0.1, 0.9); // v = (0.05, -0.1)
    assertArrayEquals(new double[] {0.95, 2.1}, mu, 1e-12);
    StudentTClustering.momentumStep(mu, v, g, 0.1, 0.9); // v = 0.9 v + 0.1 g = (0.095, -0.19)
    assertArrayEquals(new double[] {0.855, 2.29}, mu, 1e-12);
    assertArrayEquals(new double[] {0.095, -0.19}, v, 1e-12);
  }

  @Test
  void clusteringOptimizerOptionDefaultsToAdamAndLoadsOldConfigurations() throws Exception {
    DEC dec = (DEC) Algorithms.create("dec", CommonConfig.defaults(10),
        java.util.Map.of("optimizer", "SGD_MOMENTUM", "momentum", "0.9", "learningRate", "0.01"));
    assertEquals(ClusteringOptimizer.SGD_MOMENTUM, dec.config().optimizer());
    var network = dec.config().optimizer().config(dec.config().learningRate(), dec.config().momentum());
    assertEquals(org.deepclustering.nn.OptimizerConfig.Type.SGD_MOMENTUM, network.getType());
    assertEquals(0.9, network.getMomentum());
    assertEquals(0.01, network.getLearningRate());
    IDEC.Config idec = IDEC.Config.defaults(10);
    assertEquals(ClusteringOptimizer.ADAM, idec.optimizer());
    assertEquals(0.99, idec.momentum());
    // A configuration saved before the option (no "optimizer", no "momentum") loads as Adam.
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var tree = (com.fasterxml.jackson.databind.node.ObjectNode) json.valueToTree(idec.withOptimizer(ClusteringOptimizer.SGD_MOMENTUM, 0.1, 0.99));
    tree.remove("optimizer");
    tree.remove("momentum");
    assertEquals(ClusteringOptimizer.ADAM, json.treeToValue(tree, IDEC.Config.class).optimizer());
    var e = assertThrows(IllegalArgumentException.class,
        () -> Algorithms.create("idec", CommonConfig.defaults(3), java.util.Map.of("optimizer", "RMSPROP")));
    assertTrue(e.getMessage().contains("RMSPROP") && e.getMessage().contains("SGD_MOMENTUM"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> IDEC.Config.defaults(3).withOptimizer(ClusteringOptimizer.SGD_MOMENTUM, 0.1, 1.0));
    assertTrue(e.getMessage().contains("IDEC momentum") && e.getMessage().contains("0.99"), e.getMessage());
  }

  @Test
  void registryBuildsTheMethodsWithPaperDefaults() {
    IDEC idec = (IDEC) Algorithms.create("idec", CommonConfig.defaults(10), java.util.Map.of("gamma", "0.2"));
    assertEquals(0.2, idec.config().gamma());
    assertEquals(140, idec.config().updateInterval());
    assertEquals(20000, idec.config().maxIterations());
    assertEquals(256, idec.config().batchSize());
    assertEquals(0.001, idec.config().tolerance());
    DEC dec = (DEC) Algorithms.create("dec", CommonConfig.defaults(10), java.util.Map.of());
    assertEquals(1.0, dec.config().alpha());
    assertEquals(0.001, dec.config().learningRate());
    DCN dcn = (DCN) Algorithms.create("DCN", CommonConfig.defaults(10), java.util.Map.of("initialCount", "0"));
    assertEquals(0.05, dcn.config().lambda());
    assertEquals(0, dcn.config().initialCount());
  }
}
