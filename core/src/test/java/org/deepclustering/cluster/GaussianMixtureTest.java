package org.deepclustering.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class GaussianMixtureTest {

    static final double[][] MEANS = {{0, 0}, {8, 1}, {2, 9}};
    static final double[][][] COVS = {
        {{2.0, 1.2}, {1.2, 1.0}},
        {{1.0, -0.6}, {-0.6, 0.8}},
        {{0.5, 0.0}, {0.0, 2.0}}};
    static final int PER = 1000;

    /** 3000 samples, 1000 per component, interleaved: x = μ + L z with Σ = L Lᵀ. */
    static double[][] sample(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] x = new double[3 * PER][2];
        for (int i = 0; i < x.length; i++) {
            int c = i % 3;
            double[][] s = COVS[c];
            double l00 = Math.sqrt(s[0][0]);
            double l10 = s[1][0] / l00;
            double l11 = Math.sqrt(s[1][1] - l10 * l10);
            double z0 = rnd.nextGaussian();
            double z1 = rnd.nextGaussian();
            x[i][0] = MEANS[c][0] + l00 * z0;
            x[i][1] = MEANS[c][1] + l10 * z0 + l11 * z1;
        }
        return x;
    }

    @Test
    void recoversKnownParameters() {
        double[][] x = sample(5);
        GaussianMixtureModel m = GaussianMixture.builder().k(3).seed(1).build().fit(Nd4j.createFromArray(x));
        assertEquals(3, m.numComponents());
        // Tolerances from the sampling error with 1000 points per component: a mean coordinate has standard
        // error σ/√1000 ≤ 1.42/31.6 ≈ 0.045 (0.2 ≈ 4.5 SE); a covariance entry has standard error
        // ≤ σ_a σ_b √(2/1000) ≤ 0.09 (0.3 ≈ 3.3 SE); the weights are exactly 1/3 in the sample, EM only
        // misallocates the few points in the overlaps (0.02).
        double[][] means = m.means();
        for (int c = 0; c < 3; c++) {
            int j = nearest(means, MEANS[c]);
            assertEquals(MEANS[c][0], means[j][0], 0.2, "mean " + c);
            assertEquals(MEANS[c][1], means[j][1], 0.2, "mean " + c);
            double[][] cov = m.covariance(j);
            for (int a = 0; a < 2; a++) {
                for (int b = 0; b < 2; b++) {
                    assertEquals(COVS[c][a][b], cov[a][b], 0.3, "cov " + c + " [" + a + "][" + b + "]");
                }
            }
            assertEquals(1.0 / 3, m.weights()[j], 0.02, "weight " + c);
            // precision × covariance = I
            double[][] p = m.precision(j);
            for (int a = 0; a < 2; a++) {
                for (int b = 0; b < 2; b++) {
                    double s = p[a][0] * cov[0][b] + p[a][1] * cov[1][b];
                    assertEquals(a == b ? 1.0 : 0.0, s, 1e-10);
                }
            }
        }
        assertTrue(m.converged());
    }

    @Test
    void logLikelihoodNeverDecreases() {
        double[][] x = sample(9);
        GaussianMixtureModel m = GaussianMixture.builder().k(3).seed(4).tolerance(1e-10).maxIterations(60).build()
                .fit(x);
        double[] trace = m.logLikelihoodTrace();
        assertTrue(trace.length >= 2);
        for (int i = 1; i < trace.length; i++) {
            assertTrue(trace[i] >= trace[i - 1] - 1e-12, "decrease at iteration " + i + ": " + trace[i - 1]
                    + " -> " + trace[i]);
        }
        // and manual EM steps from a deliberately poor start also never decrease it
        double[][] resp = new double[x.length][3];
        for (int i = 0; i < x.length; i++) {
            resp[i][(i / 7) % 3] = 1.0; // labels unrelated to the components
        }
        GaussianMixtureModel model = GaussianMixtureModel.mStep(x, resp, 1e-6);
        double prev = Double.NEGATIVE_INFINITY;
        for (int it = 0; it < 40; it++) {
            double ll = GaussianMixture.eStep(model, x, resp);
            assertTrue(ll >= prev - 1e-12, "decrease at manual iteration " + it);
            prev = ll;
            model = GaussianMixtureModel.mStep(x, resp, 1e-6);
        }
    }

    @Test
    void posteriorsSumToOneAndMatchBayes() {
        GaussianMixtureModel m = GaussianMixtureModel.of(new double[] {0.2, 0.5, 0.3}, MEANS, COVS);
        double[][] x = {{3.0, 2.0}, {-1, 0.5}, {40, -30}};
        double[][] post = m.predictProba(Nd4j.createFromArray(x));
        for (double[] row : post) {
            double s = 0;
            for (double v : row) {
                s += v;
            }
            assertEquals(1.0, s, 1e-12);
        }
        // direct Bayes formula with explicit 2×2 inverses and determinants on the first point
        double[] w = {0.2, 0.5, 0.3};
        double[] joint = new double[3];
        double evidence = 0;
        for (int c = 0; c < 3; c++) {
            double[][] s = COVS[c];
            double det = s[0][0] * s[1][1] - s[0][1] * s[1][0];
            double dx = x[0][0] - MEANS[c][0];
            double dy = x[0][1] - MEANS[c][1];
            double q = (s[1][1] * dx * dx - 2 * s[0][1] * dx * dy + s[0][0] * dy * dy) / det;
            joint[c] = w[c] * Math.exp(-0.5 * q) / (2 * Math.PI * Math.sqrt(det));
            evidence += joint[c];
        }
        for (int c = 0; c < 3; c++) {
            assertEquals(joint[c] / evidence, post[0][c], 1e-12);
        }
        assertEquals(Math.log(evidence), m.meanLogLikelihood(new double[][] {x[0]}), 1e-12);
        // far point: no NaN thanks to log-sum-exp
        assertTrue(Double.isFinite(post[2][0]) && Double.isFinite(post[2][1]) && Double.isFinite(post[2][2]));
        int[] labels = m.predict(x);
        assertEquals(0, labels[1]);
    }

    @Test
    void mStepMatchesDirectFormulas() {
        // hand example: one component over the corners of a 2×2 square: mean (1,1), covariance I (+ reg)
        double[][] square = {{0, 0}, {2, 0}, {0, 2}, {2, 2}};
        double[][] ones = {{1}, {1}, {1}, {1}};
        GaussianMixtureModel one = GaussianMixtureModel.mStep(square, ones, 0.5);
        assertEquals(1.0, one.weights()[0], 1e-15);
        assertEquals(1.0, one.means()[0][0], 1e-12);
        assertEquals(1.0, one.means()[0][1], 1e-12);
        assertEquals(1.5, one.covariance(0)[0][0], 1e-12);
        assertEquals(0.0, one.covariance(0)[0][1], 1e-12);
        assertEquals(1.5, one.covariance(0)[1][1], 1e-12);

        // soft responsibilities on 4 points, 2 components, against the textbook formulas written out
        double[][] x = {{1, 2}, {3, 1}, {-1, 0}, {2, 5}};
        double[][] r = {{0.9, 0.1}, {0.3, 0.7}, {0.5, 0.5}, {0.2, 0.8}};
        double reg = 1e-3;
        GaussianMixtureModel m = GaussianMixtureModel.mStep(x, r, reg);
        // component 0: N = 1.9; mean = (0.9*1 + 0.3*3 - 0.5 + 0.2*2, 0.9*2 + 0.3*1 + 0 + 0.2*5) / 1.9
        double n0 = 1.9;
        double mx = (0.9 + 0.9 - 0.5 + 0.4) / n0;
        double my = (1.8 + 0.3 + 0.0 + 1.0) / n0;
        assertEquals(mx, m.means()[0][0], 1e-12);
        assertEquals(my, m.means()[0][1], 1e-12);
        assertEquals(n0 / 4.0, m.weights()[0], 1e-12);
        assertEquals(2.1 / 4.0, m.weights()[1], 1e-12);
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int i = 0; i < 4; i++) {
            double dx = x[i][0] - mx;
            double dy = x[i][1] - my;
            sxx += r[i][0] * dx * dx;
            sxy += r[i][0] * dx * dy;
            syy += r[i][0] * dy * dy;
        }
        assertEquals(sxx / n0 + reg, m.covariance(0)[0][0], 1e-12);
        assertEquals(sxy / n0, m.covariance(0)[0][1], 1e-12);
        assertEquals(sxy / n0, m.covariance(0)[1][0], 1e-12);
        assertEquals(syy / n0 + reg, m.covariance(0)[1][1], 1e-12);
    }

    @Test
    void singularCovarianceIsAClearError() {
        double[][] same = {{1, 1}, {1, 1}, {1, 1}};
        double[][] r = {{1}, {1}, {1}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GaussianMixtureModel.mStep(same, r, 0.0));
        assertTrue(e.getMessage().contains("not positive definite"), e.getMessage());
        // the regularisation fixes it
        assertEquals(1e-6, GaussianMixtureModel.mStep(same, r, 1e-6).covariance(0)[0][0], 1e-15);
        assertThrows(IllegalArgumentException.class, () -> GaussianMixture.builder().k(0).build());
        assertThrows(IllegalArgumentException.class, () -> GaussianMixture.builder().k(4).build().fit(same));
    }

    private static int nearest(double[][] candidates, double[] target) {
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int j = 0; j < candidates.length; j++) {
            double dx = candidates[j][0] - target[0];
            double dy = candidates[j][1] - target[1];
            if (dx * dx + dy * dy < bestD) {
                bestD = dx * dx + dy * dy;
                best = j;
            }
        }
        return best;
    }
}
