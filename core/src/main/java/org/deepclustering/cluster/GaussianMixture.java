package org.deepclustering.cluster;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Full-covariance Gaussian mixture fitted by EM, following scikit-learn's {@code GaussianMixture}
 * (covariance_type "full", init_params "kmeans"): responsibilities initialised from one k-means run, EM until the
 * change of the mean log-likelihood per sample is below {@code tolerance} or {@code maxIterations}, the best of
 * {@code nInit} runs (highest final mean log-likelihood) kept. Meant for low-dimensional data (embeddings, d up to
 * ~50): the arithmetic is plain double[] Java.
 *
 * <p>Immutable; build with {@link #builder()}.
 */
public final class GaussianMixture {

    private static final Logger LOG = LoggerFactory.getLogger(GaussianMixture.class);

    private final int k;
    private final int maxIterations;
    private final double tolerance;
    private final double regularisation;
    private final int nInit;
    private final long seed;

    private GaussianMixture(Builder b) {
        this.k = b.k;
        this.maxIterations = b.maxIterations;
        this.tolerance = b.tolerance;
        this.regularisation = b.regularisation;
        this.nInit = b.nInit;
        this.seed = b.seed;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int k() {
        return k;
    }

    /** Fits the mixture to {@code data} (n×d). */
    public GaussianMixtureModel fit(INDArray data) {
        return fit(GaussianMixtureModel.toMatrix(data));
    }

    /** Fits the mixture to {@code data} (n rows of d values). */
    public GaussianMixtureModel fit(double[][] data) {
        if (data == null || data.length == 0 || data[0].length == 0) {
            throw new IllegalArgumentException("data must be a non-empty n×d matrix");
        }
        int n = data.length;
        int d = data[0].length;
        for (double[] row : data) {
            if (row.length != d) {
                throw new IllegalArgumentException("all rows must have " + d + " values");
            }
        }
        if (n < k) {
            throw new IllegalArgumentException("a mixture of k=" + k + " components needs at least k rows, got n=" + n);
        }
        float[] flat = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                flat[i * d + j] = (float) data[i][j];
            }
        }
        INDArray x = Nd4j.create(flat, new long[] {n, d}, 'c');
        SplittableRandom rng = new SplittableRandom(seed);
        GaussianMixtureModel best = null;
        double bestLl = Double.NEGATIVE_INFINITY;
        for (int run = 0; run < nInit; run++) {
            int[] labels = KMeans.builder().k(k).nInit(1).seed(rng.nextLong()).threads(1).build().fit(x).labels();
            double[][] resp = new double[n][k];
            for (int i = 0; i < n; i++) {
                resp[i][labels[i]] = 1.0;
            }
            GaussianMixtureModel model = GaussianMixtureModel.mStep(data, resp, regularisation);
            double[] trace = new double[maxIterations];
            double lowerBound = Double.NEGATIVE_INFINITY;
            boolean converged = false;
            int iterations = 0;
            for (int it = 0; it < maxIterations; it++) {
                double prev = lowerBound;
                lowerBound = eStep(model, data, resp);
                model = GaussianMixtureModel.mStep(data, resp, regularisation);
                trace[it] = lowerBound;
                iterations = it + 1;
                if (Math.abs(lowerBound - prev) < tolerance) {
                    converged = true;
                    break;
                }
            }
            if (!converged) {
                LOG.warn("Gaussian mixture run {} did not converge in {} iterations (last change above {})", run + 1,
                        maxIterations, tolerance);
            }
            double finalLl = model.meanLogLikelihood(data);
            LOG.debug("Gaussian mixture run {}/{}: mean log-likelihood {} after {} iterations", run + 1, nInit, finalLl,
                    iterations);
            if (best == null || finalLl > bestLl) {
                bestLl = finalLl;
                best = model.withTrace(Arrays.copyOf(trace, iterations), converged);
            }
        }
        return best;
    }

    /**
     * E-step: fills {@code resp} (n×K, preallocated) with the posteriors p(k | x_i) and returns the mean
     * log-likelihood per sample under {@code model}.
     */
    public static double eStep(GaussianMixtureModel model, double[][] data, double[][] resp) {
        double[][] lp = model.weightedLogProbabilities(data);
        double s = 0;
        for (int i = 0; i < data.length; i++) {
            double lse = GaussianMixtureModel.logSumExp(lp[i]);
            s += lse;
            for (int c = 0; c < lp[i].length; c++) {
                resp[i][c] = Math.exp(lp[i][c] - lse);
            }
        }
        return s / data.length;
    }

    /** Builder; {@link #k(int)} is required. */
    public static final class Builder {
        private int k = -1;
        private int maxIterations = 100;
        private double tolerance = 1e-3;
        private double regularisation = 1e-6;
        private int nInit = 1;
        private long seed = 0L;

        private Builder() {
        }

        /** Number of components (≥ 1, required). */
        public Builder k(int k) {
            this.k = k;
            return this;
        }

        /** Maximum EM iterations (default 100). */
        public Builder maxIterations(int maxIterations) {
            this.maxIterations = maxIterations;
            return this;
        }

        /** Stop when the mean log-likelihood per sample changes by less than this (default 1e-3). */
        public Builder tolerance(double tolerance) {
            this.tolerance = tolerance;
            return this;
        }

        /** Added to every covariance diagonal (default 1e-6). */
        public Builder regularisation(double regularisation) {
            this.regularisation = regularisation;
            return this;
        }

        /** Number of k-means-initialised EM runs; the highest log-likelihood is kept (default 1). */
        public Builder nInit(int nInit) {
            this.nInit = nInit;
            return this;
        }

        /** Seed (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public GaussianMixture build() {
            if (k < 1) {
                throw new IllegalArgumentException("k must be >= 1, got " + k);
            }
            if (maxIterations < 1 || nInit < 1) {
                throw new IllegalArgumentException("maxIterations and nInit must be >= 1");
            }
            if (!(tolerance >= 0) || !(regularisation >= 0)) {
                throw new IllegalArgumentException("tolerance and regularisation must be >= 0");
            }
            return new GaussianMixture(this);
        }
    }
}
