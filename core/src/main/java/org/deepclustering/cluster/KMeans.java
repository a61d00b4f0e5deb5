package org.deepclustering.cluster;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lloyd's k-means with greedy k-means++ seeding and restarts, following scikit-learn's {@code KMeans}
 * (algorithm "lloyd"): greedy k-means++ with 2 + ⌊ln k⌋ local trials, convergence when the labels no longer change
 * or when the total squared centre shift is at most {@code tolerance} × the mean per-feature variance, relocation of
 * empty clusters to the points farthest from their centres, and the run with the lowest inertia kept.
 *
 * <p>Squared distances are ||x||² − 2·x·c + ||c||² with the products computed by {@code cblas_sgemm} directly on
 * the INDArray's memory, in row chunks (cache-sized), on {@code threads} worker threads. Randomness comes only from
 * a {@link SplittableRandom} seeded with {@code seed}: a fit is deterministic for a seed, whatever the number of
 * threads (up to 4).
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}.
 */
public final class KMeans {

    private static final Logger LOG = LoggerFactory.getLogger(KMeans.class);

    private final int k;
    private final int nInit;
    private final int maxIterations;
    private final double tolerance;
    private final long seed;
    private final int threads;

    private KMeans(Builder b) {
        this.k = b.k;
        this.nInit = b.nInit;
        this.maxIterations = b.maxIterations;
        this.tolerance = b.tolerance;
        this.seed = b.seed;
        this.threads = b.threads;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int k() {
        return k;
    }

    public int nInit() {
        return nInit;
    }

    public int maxIterations() {
        return maxIterations;
    }

    public double tolerance() {
        return tolerance;
    }

    public long seed() {
        return seed;
    }

    public int threads() {
        return threads;
    }

    /** Fits k-means to {@code data} (n×d, float32 preferred; other types are converted). */
    public KMeansResult fit(INDArray data) {
        try (ChunkEngine engine = new ChunkEngine(data, threads, ChunkEngine.DEFAULT_CHUNK_ROWS)) {
            checkSize(engine);
            double tol = tolerance * engine.meanFeatureVariance();
            SplittableRandom root = new SplittableRandom(seed);
            Lloyd best = null;
            for (int run = 0; run < nInit; run++) {
                SplittableRandom rng = root.split();
                float[] init = kMeansPlusPlus(engine, k, rng);
                Lloyd r = lloyd(engine, init, k, maxIterations, tol);
                LOG.debug("k-means run {}/{}: inertia {} after {} iterations", run + 1, nInit, r.inertia,
                        r.iterations);
                if (best == null || r.inertia < best.inertia) {
                    best = r;
                }
            }
            LOG.debug("k-means best inertia {}", best.inertia);
            return best.toResult(k, engine.d);
        }
    }

    /** One Lloyd run from the given k×d initial centres ({@code nInit} is not used). */
    public KMeansResult fit(INDArray data, INDArray initialCentroids) {
        try (ChunkEngine engine = new ChunkEngine(data, threads, ChunkEngine.DEFAULT_CHUNK_ROWS)) {
            checkSize(engine);
            if (initialCentroids == null || initialCentroids.rank() != 2 || initialCentroids.rows() != k
                    || initialCentroids.columns() != engine.d) {
                throw new IllegalArgumentException("initial centroids must be " + k + "×" + engine.d + ", got "
                        + (initialCentroids == null ? "null" : Arrays.toString(initialCentroids.shape())));
            }
            float[] init = initialCentroids.castTo(DataType.FLOAT).dup('c').data().asFloat();
            double tol = tolerance * engine.meanFeatureVariance();
            return lloyd(engine, init, k, maxIterations, tol).toResult(k, engine.d);
        }
    }

    /** Closest centre (index into the rows of {@code centroids}) for every row of {@code data}. */
    public static int[] predict(INDArray data, INDArray centroids) {
        if (centroids == null || centroids.rank() != 2) {
            throw new IllegalArgumentException("centroids must be a k×d matrix");
        }
        try (ChunkEngine engine = new ChunkEngine(data, 1, ChunkEngine.DEFAULT_CHUNK_ROWS)) {
            if (centroids.columns() != engine.d) {
                throw new IllegalArgumentException("data has " + engine.d + " columns but centroids have "
                        + centroids.columns());
            }
            int kk = (int) centroids.rows();
            float[] c = centroids.castTo(DataType.FLOAT).dup('c').data().asFloat();
            int[] labels = new int[engine.n];
            assign(engine, c, kk, labels, new float[engine.n], false);
            return labels;
        }
    }

    private void checkSize(ChunkEngine engine) {
        if (engine.n < k) {
            throw new IllegalArgumentException("k-means needs at least k=" + k + " rows, got n=" + engine.n);
        }
    }

    // ------------------------------------------------------------------------------------------------ internals

    static final class Lloyd {
        float[] centers;
        int[] labels;
        double inertia;
        int iterations;

        KMeansResult toResult(int k, int d) {
            INDArray c = Nd4j.create(centers, new long[] {k, d}, 'c');
            return new KMeansResult(c, labels, inertia, iterations);
        }
    }

    /** Greedy k-means++ (scikit-learn's {@code _kmeans_plusplus}). */
    static float[] kMeansPlusPlus(ChunkEngine engine, int k, SplittableRandom rng) {
        int n = engine.n;
        int d = engine.d;
        int trials = 2 + (int) Math.log(k);
        float[] centers = new float[k * d];
        int first = rng.nextInt(n);
        engine.row(first, centers, 0);
        float[] closest = new float[n];
        float[][] cand = new float[trials][n];
        double pot;
        try (FloatPointer b = new FloatPointer((long) trials * d)) {
            float[] rows = new float[trials * d];
            System.arraycopy(centers, 0, rows, 0, d);
            pot = candidateDistances(engine, b, rows, 1, closest, new float[][] {closest}, true)[0];
            double[] cumsum = new double[n];
            int[] ids = new int[trials];
            for (int c = 1; c < k; c++) {
                double acc = 0;
                for (int i = 0; i < n; i++) {
                    acc += closest[i];
                    cumsum[i] = acc;
                }
                for (int t = 0; t < trials; t++) {
                    double r = rng.nextDouble() * pot;
                    int idx = lowerBound(cumsum, r);
                    ids[t] = Math.min(idx, n - 1);
                    engine.row(ids[t], rows, t * d);
                }
                double[] pots = candidateDistances(engine, b, rows, trials, closest, cand, false);
                int best = 0;
                for (int t = 1; t < trials; t++) {
                    if (pots[t] < pots[best]) {
                        best = t;
                    }
                }
                pot = pots[best];
                float[] tmp = closest;
                closest = cand[best];
                cand[best] = tmp;
                System.arraycopy(rows, best * d, centers, c * d, d);
            }
        }
        return centers;
    }

    /** First index i with a[i] ≥ v (numpy searchsorted, side left). */
    private static int lowerBound(double[] a, double v) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * out[t][i] = min(closest[i], ||x_i − b_t||²) (or the plain distance when {@code first}); returns Σ_i out[t][i]
     * per candidate.
     */
    private static double[] candidateDistances(ChunkEngine engine, FloatPointer b, float[] rows, int m,
            float[] closest, float[][] out, boolean first) {
        int d = engine.d;
        float[] bNorms = new float[m];
        for (int t = 0; t < m; t++) {
            float s = 0f;
            for (int j = 0; j < d; j++) {
                float v = rows[t * d + j];
                s += v * v;
            }
            bNorms[t] = s;
        }
        b.put(rows, 0, m * d);
        for (int l = 0; l < ChunkEngine.LANES; l++) {
            engine.lane(l).pots = new double[m];
        }
        float[] xn = engine.sqNorms;
        engine.pass(b, m, (lane, start, count, dots) -> {
            double[] pots = lane.pots;
            for (int i = 0; i < count; i++) {
                int gi = start + i;
                for (int t = 0; t < m; t++) {
                    float dist = Math.max(0f, xn[gi] - 2f * dots[i * m + t] + bNorms[t]);
                    if (!first && closest[gi] < dist) {
                        dist = closest[gi];
                    }
                    out[t][gi] = dist;
                    pots[t] += dist;
                }
            }
        });
        double[] total = new double[m];
        for (int l = 0; l < ChunkEngine.LANES; l++) {
            for (int t = 0; t < m; t++) {
                total[t] += engine.lane(l).pots[t];
            }
        }
        return total;
    }

    /**
     * Assigns every row to its closest centre (labels, squared distance in minDist) and returns the inertia; with
     * {@code accumulate}, the lanes also hold per-cluster sums and counts.
     */
    static double assign(ChunkEngine engine, float[] centers, int k, int[] labels, float[] minDist,
            boolean accumulate) {
        int d = engine.d;
        float[] cNorms = new float[k];
        for (int j = 0; j < k; j++) {
            float s = 0f;
            for (int q = 0; q < d; q++) {
                float v = centers[j * d + q];
                s += v * v;
            }
            cNorms[j] = s;
        }
        for (int l = 0; l < ChunkEngine.LANES; l++) {
            engine.lane(l).resetAccumulators(k);
        }
        float[] xn = engine.sqNorms;
        try (FloatPointer b = new FloatPointer((long) k * d)) {
            b.put(centers, 0, k * d);
            engine.pass(b, k, (lane, start, rows, dots) -> {
                double inertia = 0;
                long[] counts = lane.counts;
                for (int i = 0; i < rows; i++) {
                    int off = i * k;
                    int best = 0;
                    float bestVal = cNorms[0] - 2f * dots[off];
                    for (int j = 1; j < k; j++) {
                        float v = cNorms[j] - 2f * dots[off + j];
                        if (v < bestVal) {
                            bestVal = v;
                            best = j;
                        }
                    }
                    float dist = Math.max(0f, xn[start + i] + bestVal);
                    labels[start + i] = best;
                    minDist[start + i] = dist;
                    counts[best]++;
                    inertia += dist;
                }
                lane.inertia += inertia;
                if (accumulate) {
                    lane.accumulate(start, rows, labels);
                }
            });
        }
        double inertia = 0;
        for (int l = 0; l < ChunkEngine.LANES; l++) {
            inertia += engine.lane(l).inertia;
        }
        return inertia;
    }

    static Lloyd lloyd(ChunkEngine engine, float[] init, int k, int maxIterations, double tol) {
        int n = engine.n;
        int d = engine.d;
        float[] centers = init.clone();
        float[] next = new float[k * d];
        int[] labels = new int[n];
        int[] labelsOld = new int[n];
        Arrays.fill(labelsOld, -1);
        float[] minDist = new float[n];
        double[] sums = new double[k * d];
        long[] counts = new long[k];
        float[] rowBuf = new float[d];
        int iterations = 0;
        for (int it = 0; it < maxIterations; it++) {
            assign(engine, centers, k, labels, minDist, true);
            Arrays.fill(sums, 0.0);
            Arrays.fill(counts, 0L);
            for (int l = 0; l < ChunkEngine.LANES; l++) {
                ChunkEngine.Lane lane = engine.lane(l);
                for (int q = 0; q < k * d; q++) {
                    sums[q] += lane.sums[q];
                }
                for (int j = 0; j < k; j++) {
                    counts[j] += lane.counts[j];
                }
            }
            relocateEmptyClusters(engine, labels, minDist, sums, counts, rowBuf);
            double shift = 0;
            for (int j = 0; j < k; j++) {
                for (int q = 0; q < d; q++) {
                    int idx = j * d + q;
                    float v = counts[j] > 0 ? (float) (sums[idx] / counts[j]) : centers[idx];
                    next[idx] = v;
                    double diff = v - centers[idx];
                    shift += diff * diff;
                }
            }
            float[] tmp = centers;
            centers = next;
            next = tmp;
            iterations = it + 1;
            if (Arrays.equals(labels, labelsOld)) {
                LOG.trace("k-means converged (labels unchanged) at iteration {}", iterations);
                break;
            }
            if (shift <= tol) {
                LOG.trace("k-means converged (centre shift {} <= {}) at iteration {}", shift, tol, iterations);
                break;
            }
            System.arraycopy(labels, 0, labelsOld, 0, n);
        }
        Lloyd r = new Lloyd();
        r.inertia = assign(engine, centers, k, labels, minDist, false);
        r.centers = centers;
        r.labels = labels;
        r.iterations = iterations;
        return r;
    }

    /**
     * Every empty cluster takes the point farthest from its assigned centre (as scikit-learn): the point is moved
     * from its cluster's sum to the empty cluster, and its label changes.
     */
    static void relocateEmptyClusters(ChunkEngine engine, int[] labels, float[] minDist, double[] sums,
            long[] counts, float[] rowBuf) {
        int k = counts.length;
        int d = engine.d;
        int empty = 0;
        for (long c : counts) {
            if (c == 0) {
                empty++;
            }
        }
        if (empty == 0) {
            return;
        }
        int n = labels.length;
        // indices of the `empty` largest distances, largest first (ties: lower index first)
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Float.compare(minDist[b], minDist[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int next = 0;
        for (int j = 0; j < k; j++) {
            if (counts[j] != 0) {
                continue;
            }
            int far = order[next++];
            int old = labels[far];
            engine.row(far, rowBuf, 0);
            if (counts[old] > 1) {
                for (int q = 0; q < d; q++) {
                    sums[old * d + q] -= rowBuf[q];
                }
                counts[old]--;
            } else {
                counts[old] = 0; // keeps its previous centre
            }
            for (int q = 0; q < d; q++) {
                sums[j * d + q] = rowBuf[q];
            }
            counts[j] = 1;
            labels[far] = j;
            minDist[far] = 0f;
            LOG.debug("k-means: empty cluster {} re-seeded with row {}", j, far);
        }
    }

    /** Builder; {@link #k(int)} is required. */
    public static final class Builder {
        private int k = -1;
        private int nInit = 10;
        private int maxIterations = 300;
        private double tolerance = 1e-4;
        private long seed = 0L;
        private int threads = Math.min(Runtime.getRuntime().availableProcessors(), ChunkEngine.LANES);

        private Builder() {
        }

        /** Number of clusters (≥ 1, required). */
        public Builder k(int k) {
            this.k = k;
            return this;
        }

        /** Number of k-means++ restarts; the lowest inertia is kept (default 10). */
        public Builder nInit(int nInit) {
            this.nInit = nInit;
            return this;
        }

        /** Maximum Lloyd iterations per run (default 300). */
        public Builder maxIterations(int maxIterations) {
            this.maxIterations = maxIterations;
            return this;
        }

        /** Relative tolerance on the total squared centre shift, × mean feature variance (default 1e-4). */
        public Builder tolerance(double tolerance) {
            this.tolerance = tolerance;
            return this;
        }

        /** Seed of the random source (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Worker threads, 1..4 (default: available processors, at most 4). */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public KMeans build() {
            if (k < 1) {
                throw new IllegalArgumentException("k must be >= 1, got " + k);
            }
            if (nInit < 1) {
                throw new IllegalArgumentException("nInit must be >= 1, got " + nInit);
            }
            if (maxIterations < 1) {
                throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
            }
            if (!(tolerance >= 0)) {
                throw new IllegalArgumentException("tolerance must be >= 0, got " + tolerance);
            }
            if (threads < 1 || threads > ChunkEngine.LANES) {
                throw new IllegalArgumentException("threads must be in 1.." + ChunkEngine.LANES + ", got " + threads);
            }
            return new KMeans(this);
        }
    }
}
