package org.deepclustering.nn;

import org.bytedeco.javacpp.FloatPointer;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.stream.IntStream;

/**
 * Fused element-wise kernels on engine-owned native buffers, in Java: chunks are copied into small thread-local arrays
 * (cache-resident, auto-vectorised loops) and split over the cores. Measured several times faster than the equivalent
 * ND4J ops at these sizes (ND4J's relu backward custom op: 0.25-1.2 ms for 256 x 500..2000; broadcast bias add
 * 0.1-0.25 ms; this: a few tens of microseconds).
 */
final class Kernels {
    private static final int CHUNK = 8192;
    private static final int MIN_PARALLEL = 4 * CHUNK;
    private static final float HUGE = Float.MAX_VALUE;
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][CHUNK]);

    private Kernels() {
    }

    private interface Chunk {
        void apply(long start, int len, float[] s0, float[] s1);
    }

    private static void forChunks(long n, Chunk c) {
        forChunks(n, CHUNK, c);
    }

    /** Splits n elements into chunks of {@code chunk} (at most {@link #CHUNK}) elements, over the cores when large. */
    private static void forChunks(long n, int chunk, Chunk c) {
        int chunks = (int) ((n + chunk - 1) / chunk);
        if (n < MIN_PARALLEL || CORES <= 1) {
            float[][] s = SCRATCH.get();
            for (int k = 0; k < chunks; k++) {
                long start = (long) k * chunk;
                c.apply(start, (int) Math.min(chunk, n - start), s[0], s[1]);
            }
            return;
        }
        int workers = Math.min(CORES, chunks);
        IntStream.range(0, workers).parallel().forEach(w -> {
            float[][] s = SCRATCH.get();
            for (int k = w; k < chunks; k += workers) {
                long start = (long) k * chunk;
                c.apply(start, (int) Math.min(chunk, n - start), s[0], s[1]);
            }
        });
    }

    private static FloatPointer at(FloatPointer p, long offset) {
        return new FloatPointer(p).position(p.position() + offset);
    }

    /** Whether {@link #biasActivate} implements this activation (RELU, LEAKY_RELU, IDENTITY). */
    static boolean fuses(Activation act) {
        return act == Activation.RELU || act == Activation.LEAKY_RELU || act == Activation.IDENTITY;
    }

    /**
     * a(rows x cols) = act(a + bias) row-wise for RELU, LEAKY_RELU or IDENTITY; branch-free (max), see
     * {@link #reluBackward}.
     */
    static void biasActivate(FloatPointer a, FloatPointer bias, int rows, int cols, Activation act) {
        if (cols > CHUNK) {
            biasActivateWide(a, bias, rows, cols, act);
            return;
        }
        final float slope = act == Activation.LEAKY_RELU ? (float) Activation.LEAKY_SLOPE : act == Activation.RELU ? 0f : 1f;
        final boolean linear = act == Activation.IDENTITY;
        final int rowsPerChunk = CHUNK / cols;
        // The bias tiled over a chunk of whole rows, so that x[i] and b[i] share the index: C2 vectorises such loops,
        // not ones indexed x[i + j], b[col + j].
        final float[] b = new float[rowsPerChunk * cols];
        at(bias, 0).get(b, 0, cols);
        for (int r = 1; r < rowsPerChunk; r++) System.arraycopy(b, 0, b, r * cols, cols);
        // chunks of whole rows: every chunk starts at column 0, where the tiled bias starts
        forChunks((long) rows * cols, rowsPerChunk * cols, (start, len, x, unused) -> {
            FloatPointer p = at(a, start);
            p.get(x, 0, len);
            if (linear) {
                for (int i = 0; i < len; i++) x[i] += b[i];
            } else if (slope == 0f) {
                for (int i = 0; i < len; i++) x[i] = Math.max(x[i] + b[i], 0f);
            } else {
                for (int i = 0; i < len; i++) {
                    float v = x[i] + b[i];
                    x[i] = Math.max(v, v * slope); // slope in (0, 1): the leaky ReLU
                }
            }
            p.put(x, 0, len);
        });
    }

    /** Rows wider than a chunk (rare): one element range at a time. */
    private static void biasActivateWide(FloatPointer a, FloatPointer bias, int rows, int cols, Activation act) {
        float[] b = new float[cols];
        at(bias, 0).get(b, 0, cols);
        float slope = act == Activation.LEAKY_RELU ? (float) Activation.LEAKY_SLOPE : act == Activation.RELU ? 0f : 1f;
        float[] x = new float[cols];
        FloatPointer p = at(a, 0);
        for (int r = 0; r < rows; r++) {
            p.get(x, 0, cols);
            for (int j = 0; j < cols; j++) {
                float v = x[j] + b[j];
                x[j] = act == Activation.IDENTITY ? v : slope == 0f ? Math.max(v, 0f) : Math.max(v, v * slope);
            }
            p.put(x, 0, cols);
            p.position(p.position() + cols);
        }
    }

    /**
     * g *= (a &gt; 0 ? 1 : slope), from the activation output a (ReLU: slope 0; leaky ReLU). Branch-free, because on real
     * data about half the units are inactive in no predictable order: the branchy loop cost about 0.2 s per MNIST
     * pretraining epoch in mispredictions (found with JFR; docs/benchmarks.md). a * MAX * MAX is 0 for a = 0, at least 1
     * for every a &gt; 0 down to the smallest denormal, and -inf for a &lt; 0, so clamped to [0, 1] it is exactly the
     * indicator of a &gt; 0, and the loop vectorises (MulVF, MinVF, MaxVF).
     */
    static void reluBackward(FloatPointer a, FloatPointer g, long n, float slope) {
        final float oneMinusSlope = 1f - slope;
        forChunks(n, (start, len, x, y) -> {
            at(a, start).get(x, 0, len);
            FloatPointer gp = at(g, start);
            gp.get(y, 0, len);
            for (int i = 0; i < len; i++) y[i] *= slope + oneMinusSlope * Math.max(Math.min(x[i] * HUGE * HUGE, 1f), 0f);
            gp.put(y, 0, len);
        });
    }

    /** g = scale (r - x); returns sum (r - x)^2 (double accumulation per chunk). */
    static double squaredErrorGradient(FloatPointer r, FloatPointer x, FloatPointer g, long n, float scale) {
        DoubleAdder total = new DoubleAdder();
        forChunks(n, (start, len, rs, xs) -> {
            at(r, start).get(rs, 0, len);
            at(x, start).get(xs, 0, len);
            float sum = 0f;
            double acc = 0;
            for (int i = 0; i < len; i++) {
                float d = rs[i] - xs[i];
                sum += d * d;
                xs[i] = d * scale;
                if ((i & 1023) == 1023) {
                    acc += sum;
                    sum = 0f;
                }
            }
            total.add(acc + sum);
            at(g, start).put(xs, 0, len);
        });
        return total.sum();
    }
}
