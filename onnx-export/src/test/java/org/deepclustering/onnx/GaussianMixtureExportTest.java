package org.deepclustering.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deepclustering.onnx.ExportSpec.Activation;
import org.deepclustering.onnx.ExportSpec.DenseLayer;
import org.deepclustering.onnx.ExportSpec.GaussianMixtureSpec;
import org.deepclustering.onnx.ExportSpec.Preprocessing;
import org.junit.jupiter.api.Test;

/**
 * The mixture head at the spec level (core's GaussianMixtureHead is not merged yet): posteriors vs a double-precision
 * reference (log-densities by a Cholesky solve, log-sum-exp), labels vs the reference argmax.
 */
class GaussianMixtureExportTest {
  @Test
  void posteriorsMatchReference() throws Exception {
    SplittableRandom r = new SplittableRandom(3);
    int d = 6;
    int e = 3;
    int k = 4;
    float[] w = new float[d * e];
    for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
    float[] b = new float[e];
    for (int i = 0; i < e; i++) b[i] = (float) (0.3 * r.nextGaussian());
    DenseLayer layer = new DenseLayer(d, e, w, b, null, Activation.IDENTITY, 0.01f);
    double[] weights = {0.1, 0.2, 0.3, 0.4};
    double[][] means = new double[k][e];
    double[][][] cov = new double[k][e][e];
    for (int j = 0; j < k; j++) {
      for (int a = 0; a < e; a++) means[j][a] = 2 * r.nextGaussian();
      double[][] a0 = new double[e][e];
      for (double[] row : a0) for (int c = 0; c < e; c++) row[c] = r.nextGaussian();
      for (int p = 0; p < e; p++) for (int q = 0; q < e; q++) {
        double s = p == q ? 0.5 : 0;
        for (int c = 0; c < e; c++) s += a0[p][c] * a0[q][c];
        cov[j][p][q] = s;
      }
    }
    List<String> names = new ArrayList<>();
    for (int j = 0; j < d; j++) names.add("x" + j);
    ExportSpec spec = new ExportSpec("DC-GMM", names, new Preprocessing("NONE", new float[d], ones(d), false), List.of(layer),
        new GaussianMixtureSpec(weights, means, cov), Map.of());
    float[][] x = TestModels.randomRows(257, d, 8);
    try (OnnxClusterer onnx = OnnxClusterer.fromBytes(OnnxMetadata.toModel(spec, "test").toByteArray(), OnnxClusterer.Options.defaults())) {
      assertEquals("gmm-posterior", onnx.metadata().get(OnnxMetadata.PROBABILITIES));
      OnnxClusterer.Result res = onnx.run(x);
      double max = 0;
      for (int i = 0; i < x.length; i++) {
        double[] z = new double[e];
        for (int a = 0; a < e; a++) {
          z[a] = b[a];
          for (int c = 0; c < d; c++) z[a] += (double) x[i][c] * w[c * e + a];
        }
        double[] lj = new double[k];
        int best = 0;
        for (int j = 0; j < k; j++) {
          lj[j] = Math.log(weights[j]) + logDensity(z, means[j], cov[j]);
          if (lj[j] > lj[best]) best = j;
        }
        double lse = lj[best];
        double s = 0;
        for (int j = 0; j < k; j++) s += Math.exp(lj[j] - lse);
        lse += Math.log(s);
        for (int j = 0; j < k; j++) max = Math.max(max, Math.abs(Math.exp(lj[j] - lse) - res.probabilities()[i][j]));
        assertEquals(best, res.labels()[i], "label of row " + i);
      }
      assertTrue(max <= 1e-5, "max posterior difference " + max);
    }
  }

  static double logDensity(double[] z, double[] mu, double[][] cov) {
    int e = z.length;
    double[][] l = Linalg.cholesky(cov);
    double[] y = new double[e]; // solve L y = z - mu
    double logDet = 0;
    for (int i = 0; i < e; i++) {
      double s = z[i] - mu[i];
      for (int p = 0; p < i; p++) s -= l[i][p] * y[p];
      y[i] = s / l[i][i];
      logDet += 2 * Math.log(l[i][i]);
    }
    double m = 0;
    for (double v : y) m += v * v;
    return -0.5 * (e * Math.log(2 * Math.PI) + logDet + m);
  }

  static float[] ones(int n) {
    float[] f = new float[n];
    java.util.Arrays.fill(f, 1f);
    return f;
  }
}
