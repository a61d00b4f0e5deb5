package org.deepclustering.cluster;

import java.util.SplittableRandom;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mini-batch k-means (Sculley 2010, "Web-scale k-means clustering"): each step draws a random mini-batch (with
 * replacement), assigns it to the closest centres, and moves every centre towards its batch points with a
 * per-centre learning rate 1/count (count = points the centre has received so far). Initialisation: k-means++ on a
 * random sample of max(3·batchSize, 3·k) rows (capped at n), {@code nInit} times, keeping the candidate with the
 * lowest inertia on a second random sample (as scikit-learn). Early stop: the exponentially weighted average of the
 * batch inertia has not improved for {@code maxNoImprovement} steps, or (if {@code tolerance} > 0) the squared
 * centre change per step, relative to the mean feature variance, falls below it. Final labels and inertia come from
 * a full assignment pass.
 *
 * <p>Immutable; build with {@link #builder()}.
 */
public final class MiniBatchKMeans {

    private static final Logger LOG = LoggerFactory.getLogger(MiniBatchKMeans.class);

    private final int k;
    private final int batchSize;
    private final int maxIterations;
    private final int maxNoImprovement;
    private final double tolerance;
    private final int nInit;
    private final long seed;
    private final int threads;

    private MiniBatchKMeans(Builder b) {
        this.k = b.k;
        this.batchSize = b.batchSize;
        this.maxIterations = b.maxIterations;
        this.maxNoImprovement = b.maxNoImprovement;
        this.tolerance = b.tolerance;
        this.nInit = b.nInit;
        this.seed = b.seed;
        this.threads = b.threads;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Fits mini-batch k-means to {@code data} (n×d). {@link KMeansResult#iterations()} counts mini-batch steps. */
    public KMeansResult fit(INDArray data) {
        try (ChunkEngine engine = new ChunkEngine(data, threads, ChunkEngine.DEFAULT_CHUNK_ROWS)) {
            int n = engine.n;
            int d = engine.d;
            if (n < k) {
                throw new IllegalArgumentException("mini-batch k-means needs at least k=" + k + " rows, got n=" + n);
            }
            SplittableRandom rng = new SplittableRandom(seed);
            double varMean = engine.meanFeatureVariance();
            int batch = Math.min(batchSize, n);
            int initSize = Math.min(n, Math.max(3 * batch, 3 * k));

            // initialisation: k-means++ on random samples, validated on another random sample
            float[] centers = null;
            double bestInertia = Double.POSITIVE_INFINITY;
            INDArray validation = sample(engine, initSize, rng);
            try (ChunkEngine val = new ChunkEngine(validation, 1, ChunkEngine.DEFAULT_CHUNK_ROWS)) {
                for (int run = 0; run < nInit; run++) {
                    INDArray s = sample(engine, initSize, rng);
                    float[] cand;
                    try (ChunkEngine se = new ChunkEngine(s, 1, ChunkEngine.DEFAULT_CHUNK_ROWS)) {
                        cand = KMeans.kMeansPlusPlus(se, k, rng.split());
                    }
                    double inertia = KMeans.assign(val, cand, k, new int[val.n], new float[val.n], false);
                    if (inertia < bestInertia) {
                        bestInertia = inertia;
                        centers = cand;
                    }
                }
            }

            long[] counts = new long[k];
            long stepsPerEpoch = Math.max(1, (n + batch - 1) / batch);
            long maxSteps = Math.max(1, maxIterations * stepsPerEpoch);
            double alpha = Math.min(1.0, 2.0 * batch / (n + 1.0));
            double ewa = Double.NaN;
            double bestEwa = Double.POSITIVE_INFINITY;
            int noImprovement = 0;
            float[] batchRows = new float[batch * d];
            float[] dots = new float[batch * k];
            float[] cNorms = new float[k];
            double[] batchSums = new double[k * d];
            long[] batchCounts = new long[k];
            int[] batchLabels = new int[batch];
            int steps = 0;
            try (FloatPointer bp = new FloatPointer((long) batch * d);
                    FloatPointer cp = new FloatPointer((long) k * d);
                    FloatPointer dp = new FloatPointer((long) batch * k)) {
                for (long step = 0; step < maxSteps; step++) {
                    for (int i = 0; i < batch; i++) {
                        engine.row(rng.nextInt(n), batchRows, i * d);
                    }
                    for (int j = 0; j < k; j++) {
                        float s = 0f;
                        for (int q = 0; q < d; q++) {
                            float v = centers[j * d + q];
                            s += v * v;
                        }
                        cNorms[j] = s;
                    }
                    bp.put(batchRows, 0, batch * d);
                    cp.put(centers, 0, k * d);
                    openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasTrans, batch, k,
                            d, 1.0f, bp, d, cp, d, 0.0f, dp, k);
                    dp.get(dots, 0, batch * k);
                    java.util.Arrays.fill(batchSums, 0.0);
                    java.util.Arrays.fill(batchCounts, 0L);
                    double batchInertia = 0;
                    for (int i = 0; i < batch; i++) {
                        float xn = 0f;
                        for (int q = 0; q < d; q++) {
                            float v = batchRows[i * d + q];
                            xn += v * v;
                        }
                        int best = 0;
                        float bestVal = cNorms[0] - 2f * dots[i * k];
                        for (int j = 1; j < k; j++) {
                            float v = cNorms[j] - 2f * dots[i * k + j];
                            if (v < bestVal) {
                                bestVal = v;
                                best = j;
                            }
                        }
                        batchLabels[i] = best;
                        batchInertia += Math.max(0f, xn + bestVal);
                        batchCounts[best]++;
                        for (int q = 0; q < d; q++) {
                            batchSums[best * d + q] += batchRows[i * d + q];
                        }
                    }
                    // per-centre learning rate 1/count: c ← (c·v + Σ batch points)/(v + b_c)
                    double shift = 0;
                    for (int j = 0; j < k; j++) {
                        if (batchCounts[j] == 0) {
                            continue;
                        }
                        long total = counts[j] + batchCounts[j];
                        for (int q = 0; q < d; q++) {
                            int idx = j * d + q;
                            double updated = ((double) centers[idx] * counts[j] + batchSums[idx]) / total;
                            double diff = updated - centers[idx];
                            shift += diff * diff;
                            centers[idx] = (float) updated;
                        }
                        counts[j] = total;
                    }
                    steps++;
                    batchInertia /= batch;
                    ewa = Double.isNaN(ewa) ? batchInertia : ewa * (1 - alpha) + batchInertia * alpha;
                    if (tolerance > 0 && shift / k <= tolerance * varMean) {
                        LOG.debug("mini-batch k-means: centre change below tolerance at step {}", steps);
                        break;
                    }
                    if (ewa < bestEwa) {
                        bestEwa = ewa;
                        noImprovement = 0;
                    } else if (++noImprovement >= maxNoImprovement) {
                        LOG.debug("mini-batch k-means: no improvement of the smoothed inertia for {} steps, stop at "
                                + "step {}", maxNoImprovement, steps);
                        break;
                    }
                }
            }
            int[] labels = new int[n];
            double inertia = KMeans.assign(engine, centers, k, labels, new float[n], false);
            return new KMeansResult(Nd4j.create(centers, new long[] {k, d}, 'c'), labels, inertia, steps);
        }
    }

    private static INDArray sample(ChunkEngine engine, int size, SplittableRandom rng) {
        int d = engine.d;
        float[] rows = new float[size * d];
        for (int i = 0; i < size; i++) {
            engine.row(rng.nextInt(engine.n), rows, i * d);
        }
        return Nd4j.create(rows, new long[] {size, d}, 'c');
    }

    /** Builder; {@link #k(int)} is required. */
    public static final class Builder {
        private int k = -1;
        private int batchSize = 1024;
        private int maxIterations = 100;
        private int maxNoImprovement = 10;
        private double tolerance = 0.0;
        private int nInit = 3;
        private long seed = 0L;
        private int threads = Math.min(Runtime.getRuntime().availableProcessors(), ChunkEngine.LANES);

        private Builder() {
        }

        /** Number of clusters (≥ 1, required). */
        public Builder k(int k) {
            this.k = k;
            return this;
        }

        /** Rows per mini-batch (default 1024). */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Maximum number of epochs (passes of n/batchSize steps; default 100). */
        public Builder maxIterations(int maxIterations) {
            this.maxIterations = maxIterations;
            return this;
        }

        /** Stop after this many steps without improvement of the smoothed batch inertia (default 10). */
        public Builder maxNoImprovement(int maxNoImprovement) {
            this.maxNoImprovement = maxNoImprovement;
            return this;
        }

        /** Stop when the mean squared centre change per step ≤ tolerance × mean feature variance (default 0: off). */
        public Builder tolerance(double tolerance) {
            this.tolerance = tolerance;
            return this;
        }

        /** k-means++ initialisations tried on samples (default 3). */
        public Builder nInit(int nInit) {
            this.nInit = nInit;
            return this;
        }

        /** Seed of the random source (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Worker threads of the full assignment passes, 1..4. */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public MiniBatchKMeans build() {
            if (k < 1) {
                throw new IllegalArgumentException("k must be >= 1, got " + k);
            }
            if (batchSize < 1 || maxIterations < 1 || maxNoImprovement < 1 || nInit < 1) {
                throw new IllegalArgumentException("batchSize, maxIterations, maxNoImprovement and nInit must be >= 1");
            }
            if (!(tolerance >= 0)) {
                throw new IllegalArgumentException("tolerance must be >= 0, got " + tolerance);
            }
            if (threads < 1 || threads > ChunkEngine.LANES) {
                throw new IllegalArgumentException("threads must be in 1.." + ChunkEngine.LANES + ", got " + threads);
            }
            return new MiniBatchKMeans(this);
        }
    }
}
