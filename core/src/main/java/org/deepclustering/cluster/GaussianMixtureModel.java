package org.deepclustering.cluster;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A fitted full-covariance Gaussian mixture: weights π_k, means μ_k, covariances Σ_k (with the regularisation
 * already added), plus the Cholesky factors and precision matrices Σ_k⁻¹ derived from them. Immutable: all
 * accessors return copies.
 *
 * <p>Log-densities use the Cholesky factor L_k (Σ_k = L_k L_kᵀ): log N(x | μ_k, Σ_k) = −½ (d log 2π + log|Σ_k| +
 * ||L_k⁻¹ (x − μ_k)||²) with a forward substitution; posteriors use log-sum-exp.
 */
public final class GaussianMixtureModel {

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final double[] weights;
    private final double[][] means;
    private final double[][][] covariances;
    private final double[][][] cholesky;    // lower triangular
    private final double[] logDets;
    private final double[][][] precisions;
    private final double[] logLikelihoodTrace;
    private final boolean converged;

    GaussianMixtureModel(double[] weights, double[][] means, double[][][] covariances, double[] trace,
            boolean converged) {
        int k = weights.length;
        if (k < 1 || means.length != k || covariances.length != k) {
            throw new IllegalArgumentException("weights, means and covariances must have the same number (>= 1) of "
                    + "components");
        }
        int d = means[0].length;
        this.weights = weights.clone();
        this.means = deepCopy(means);
        this.covariances = new double[k][][];
        this.cholesky = new double[k][][];
        this.logDets = new double[k];
        this.precisions = new double[k][][];
        for (int c = 0; c < k; c++) {
            if (means[c].length != d || covariances[c].length != d) {
                throw new IllegalArgumentException("component " + c + " has inconsistent dimensions");
            }
            this.covariances[c] = deepCopy(covariances[c]);
            double[][] l = choleskyOrThrow(this.covariances[c], c);
            cholesky[c] = l;
            double ld = 0;
            for (int i = 0; i < d; i++) {
                ld += Math.log(l[i][i]);
            }
            logDets[c] = 2 * ld;
            precisions[c] = inverseFromCholesky(l);
        }
        this.logLikelihoodTrace = trace == null ? new double[0] : trace.clone();
        this.converged = converged;
    }

    /**
     * Builds a model from explicit parameters (no regularisation is added).
     *
     * @throws IllegalArgumentException if a covariance is not symmetric positive definite
     */
    public static GaussianMixtureModel of(double[] weights, double[][] means, double[][][] covariances) {
        return new GaussianMixtureModel(weights, means, covariances, null, false);
    }

    /**
     * M-step of EM for a full-covariance mixture: N_k = Σ_i r_ik (+10·ε as scikit-learn), π_k = N_k / Σ N_k,
     * μ_k = Σ_i r_ik x_i / N_k, Σ_k = Σ_i r_ik (x_i − μ_k)(x_i − μ_k)ᵀ / N_k + regularisation·I.
     *
     * @param data             n×d samples
     * @param responsibilities n×K non-negative responsibilities (rows normally sum to 1)
     * @param regularisation   non-negative value added to every covariance diagonal
     * @throws IllegalArgumentException if shapes disagree or a covariance is not positive definite even after the
     *                                  regularisation
     */
    public static GaussianMixtureModel mStep(double[][] data, double[][] responsibilities, double regularisation) {
        if (data == null || data.length == 0 || responsibilities == null || responsibilities.length != data.length) {
            throw new IllegalArgumentException("data and responsibilities must be non-empty with the same number of "
                    + "rows");
        }
        if (!(regularisation >= 0)) {
            throw new IllegalArgumentException("regularisation must be >= 0, got " + regularisation);
        }
        int n = data.length;
        int d = data[0].length;
        int k = responsibilities[0].length;
        if (d < 1 || k < 1) {
            throw new IllegalArgumentException("data needs >= 1 column and responsibilities >= 1 component");
        }
        double[] nk = new double[k];
        double[][] means = new double[k][d];
        for (int i = 0; i < n; i++) {
            if (data[i].length != d || responsibilities[i].length != k) {
                throw new IllegalArgumentException("row " + i + " has an inconsistent length");
            }
            for (int c = 0; c < k; c++) {
                double r = responsibilities[i][c];
                nk[c] += r;
                for (int j = 0; j < d; j++) {
                    means[c][j] += r * data[i][j];
                }
            }
        }
        double eps10 = 10 * Math.ulp(1.0);
        double total = 0;
        for (int c = 0; c < k; c++) {
            nk[c] += eps10;
            total += nk[c];
            for (int j = 0; j < d; j++) {
                means[c][j] /= nk[c];
            }
        }
        double[] weights = new double[k];
        double[][][] cov = new double[k][d][d];
        double[] diff = new double[d];
        for (int c = 0; c < k; c++) {
            weights[c] = nk[c] / total;
            double[][] s = cov[c];
            double[] mu = means[c];
            for (int i = 0; i < n; i++) {
                double r = responsibilities[i][c];
                if (r == 0) {
                    continue;
                }
                for (int j = 0; j < d; j++) {
                    diff[j] = data[i][j] - mu[j];
                }
                for (int a = 0; a < d; a++) {
                    double ra = r * diff[a];
                    for (int b = 0; b <= a; b++) {
                        s[a][b] += ra * diff[b];
                    }
                }
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b <= a; b++) {
                    s[a][b] /= nk[c];
                    s[b][a] = s[a][b];
                }
                s[a][a] += regularisation;
            }
        }
        return new GaussianMixtureModel(weights, means, cov, null, false);
    }

    GaussianMixtureModel withTrace(double[] trace, boolean converged) {
        return new GaussianMixtureModel(weights, means, covariances, trace, converged);
    }

    public int numComponents() {
        return weights.length;
    }

    public int dimension() {
        return means[0].length;
    }

    /** Mixing weights π_k (sum to 1). */
    public double[] weights() {
        return weights.clone();
    }

    /** Means μ_k, K×d. */
    public double[][] means() {
        return deepCopy(means);
    }

    /** Covariances Σ_k, K×d×d (regularisation included). */
    public double[][][] covariances() {
        double[][][] out = new double[covariances.length][][];
        for (int c = 0; c < out.length; c++) {
            out[c] = deepCopy(covariances[c]);
        }
        return out;
    }

    /** Covariance Σ_k of one component. */
    public double[][] covariance(int component) {
        return deepCopy(covariances[component]);
    }

    /** Precision matrices Σ_k⁻¹, K×d×d. */
    public double[][][] precisions() {
        double[][][] out = new double[precisions.length][][];
        for (int c = 0; c < out.length; c++) {
            out[c] = deepCopy(precisions[c]);
        }
        return out;
    }

    /** Precision matrix Σ_k⁻¹ of one component. */
    public double[][] precision(int component) {
        return deepCopy(precisions[component]);
    }

    /** Lower Cholesky factor L_k of Σ_k (Σ_k = L_k L_kᵀ). */
    public double[][] choleskyFactor(int component) {
        return deepCopy(cholesky[component]);
    }

    /** Log-determinant log|Σ_k|. */
    public double logDeterminant(int component) {
        return logDets[component];
    }

    /** Mean log-likelihood per sample after each EM iteration of the retained run (empty if not fitted by EM). */
    public double[] logLikelihoodTrace() {
        return logLikelihoodTrace.clone();
    }

    /** Whether EM stopped on the tolerance (false if it hit maxIterations, or the model was not fitted by EM). */
    public boolean converged() {
        return converged;
    }

    /** log N(x | μ_k, Σ_k). */
    public double logDensity(double[] x, int component) {
        int d = dimension();
        if (x.length != d) {
            throw new IllegalArgumentException("expected " + d + " features, got " + x.length);
        }
        double[][] l = cholesky[component];
        double[] mu = means[component];
        double[] z = new double[d];
        double maha = 0;
        for (int i = 0; i < d; i++) { // forward substitution L z = x − μ
            double s = x[i] - mu[i];
            double[] li = l[i];
            for (int j = 0; j < i; j++) {
                s -= li[j] * z[j];
            }
            z[i] = s / li[i];
            maha += z[i] * z[i];
        }
        return -0.5 * (d * LOG_2PI + logDets[component] + maha);
    }

    /** log(π_k N(x_i | μ_k, Σ_k)) for every sample and component, n×K. */
    public double[][] weightedLogProbabilities(double[][] data) {
        int k = numComponents();
        double[] logW = new double[k];
        for (int c = 0; c < k; c++) {
            logW[c] = Math.log(weights[c]);
        }
        double[][] out = new double[data.length][k];
        for (int i = 0; i < data.length; i++) {
            for (int c = 0; c < k; c++) {
                out[i][c] = logW[c] + logDensity(data[i], c);
            }
        }
        return out;
    }

    /** Posterior probabilities p(k | x_i), n×K; rows sum to 1. */
    public double[][] predictProba(double[][] data) {
        double[][] lp = weightedLogProbabilities(data);
        for (double[] row : lp) {
            double lse = logSumExp(row);
            for (int c = 0; c < row.length; c++) {
                row[c] = Math.exp(row[c] - lse);
            }
        }
        return lp;
    }

    /** Posterior probabilities p(k | x_i), n×K; rows sum to 1. */
    public double[][] predictProba(INDArray data) {
        return predictProba(toMatrix(data));
    }

    /** Most probable component of every sample. */
    public int[] predict(double[][] data) {
        double[][] lp = weightedLogProbabilities(data);
        int[] labels = new int[lp.length];
        for (int i = 0; i < lp.length; i++) {
            int best = 0;
            for (int c = 1; c < lp[i].length; c++) {
                if (lp[i][c] > lp[i][best]) {
                    best = c;
                }
            }
            labels[i] = best;
        }
        return labels;
    }

    /** Most probable component of every sample. */
    public int[] predict(INDArray data) {
        return predict(toMatrix(data));
    }

    /** Mean over samples of log p(x_i). */
    public double meanLogLikelihood(double[][] data) {
        if (data.length == 0) {
            throw new IllegalArgumentException("data must not be empty");
        }
        double[][] lp = weightedLogProbabilities(data);
        double s = 0;
        for (double[] row : lp) {
            s += logSumExp(row);
        }
        return s / data.length;
    }

    /** Mean over samples of log p(x_i). */
    public double meanLogLikelihood(INDArray data) {
        return meanLogLikelihood(toMatrix(data));
    }

    static double logSumExp(double[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            max = Math.max(max, x);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double s = 0;
        for (double x : v) {
            s += Math.exp(x - max);
        }
        return max + Math.log(s);
    }

    static double[][] toMatrix(INDArray data) {
        if (data == null || data.rank() != 2) {
            throw new IllegalArgumentException("data must be a 2-D matrix (n×d)");
        }
        return data.toDoubleMatrix();
    }

    private static double[][] choleskyOrThrow(double[][] a, int component) {
        int d = a.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            if (a[i].length != d) {
                throw new IllegalArgumentException("covariance " + component + " is not square");
            }
            for (int j = 0; j <= i; j++) {
                if (Math.abs(a[i][j] - a[j][i]) > 1e-9 * (Math.abs(a[i][j]) + Math.abs(a[j][i]) + 1e-300)) {
                    throw new IllegalArgumentException("covariance " + component + " is not symmetric");
                }
                double s = a[i][j];
                for (int q = 0; q < j; q++) {
                    s -= l[i][q] * l[j][q];
                }
                if (i == j) {
                    if (!(s > 0) || !Double.isFinite(s)) {
                        throw new IllegalArgumentException("covariance of component " + component
                                + " is not positive definite (Cholesky pivot " + s + " at row " + i + "), even after "
                                + "the regularisation; the component has collapsed onto too few or duplicate points: "
                                + "increase the regularisation, lower the number of components or rescale the data");
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }

    /** (L Lᵀ)⁻¹ = L⁻ᵀ L⁻¹ via the inverse of the triangular factor. */
    private static double[][] inverseFromCholesky(double[][] l) {
        int d = l.length;
        double[][] inv = new double[d][d]; // lower triangular L⁻¹
        for (int col = 0; col < d; col++) {
            for (int i = col; i < d; i++) {
                double s = i == col ? 1.0 : 0.0;
                for (int j = col; j < i; j++) {
                    s -= l[i][j] * inv[j][col];
                }
                inv[i][col] = s / l[i][i];
            }
        }
        double[][] p = new double[d][d];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b <= a; b++) {
                double s = 0;
                for (int q = a; q < d; q++) {
                    s += inv[q][a] * inv[q][b];
                }
                p[a][b] = s;
                p[b][a] = s;
            }
        }
        return p;
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = Arrays.copyOf(a[i], a[i].length);
        }
        return out;
    }
}
