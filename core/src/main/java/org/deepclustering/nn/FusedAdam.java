package org.deepclustering.nn;

import org.bytedeco.javacpp.FloatPointer;

import java.util.stream.IntStream;

/**
 * Adam exactly as PyTorch's {@code torch.optim.Adam} (bias-corrected, epsilon added to sqrt(v_hat)), fused into one
 * pass over parameters and gradient, in chunks small enough for the cache, split over the available cores.
 * Moments live on the Java heap; parameters and gradients are read and written through their native pointers.
 * Measured about 5x faster than ND4J's AdamUpdater followed by {@code params.subi(update)} on this model size.
 */
final class FusedAdam {
    private static final int CHUNK = 8192;
    private final FloatPointer params;
    private final FloatPointer grad;
    private final int n;
    /**
     * The moments, chunk-major: chunk c holds parameters [c CHUNK, (c + 1) CHUNK). Every array in the update loop is then
     * indexed by the same i, which C2 (JDK 17) vectorises (with m[start + i] next to g[i] it does not, and the loop ran
     * 2.6x slower), and no moment is copied in or out of a scratch array.
     */
    private final float[][] m;
    private final float[][] v;
    private final double beta1, beta2, eps;
    private final int parallelism;
    private final ThreadLocal<float[][]> scratch = ThreadLocal.withInitial(() -> new float[2][CHUNK]);

    FusedAdam(FloatPointer params, FloatPointer grad, long n, double beta1, double beta2, double eps) {
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("too many parameters for the fused Adam: " + n);
        this.params = params;
        this.grad = grad;
        this.n = (int) n;
        int chunks = (this.n + CHUNK - 1) / CHUNK;
        this.m = new float[chunks][];
        this.v = new float[chunks][];
        for (int c = 0; c < chunks; c++) {
            int len = Math.min(CHUNK, this.n - c * CHUNK);
            m[c] = new float[len];
            v[c] = new float[len];
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.parallelism = Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** One update of all parameters; {@code t} is the 1-based step number. */
    void step(double lr, int t) {
        step(lr, t, 0, n);
    }

    /**
     * The update of the parameters {@code [from, to)} only, as part of step {@code t}; the ranges of one step may be
     * updated in any order and at different times.
     */
    void step(double lr, int t, int from, int to) {
        if (from < 0 || to > n || from > to) throw new IllegalArgumentException("range [" + from + ", " + to + ") of " + n);
        if (from == to) return;
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        float stepSize = (float) (lr / bc1);
        float invSqrtBc2 = (float) (1.0 / Math.sqrt(bc2));
        int first = from / CHUNK, last = (to - 1) / CHUNK;
        int workers = Math.min(parallelism, (to - from) / (4 * CHUNK));
        if (workers <= 1) {
            for (int c = first; c <= last; c++) chunk(c, from, to, stepSize, invSqrtBc2);
        } else {
            IntStream.range(0, workers).parallel().forEach(w -> {
                for (int c = first + w; c <= last; c += workers) chunk(c, from, to, stepSize, invSqrtBc2);
            });
        }
    }

    /** The part of chunk c inside [from, to). */
    private void chunk(int c, int from, int to, float stepSize, float invSqrtBc2) {
        int start = c * CHUNK;
        int lo = Math.max(from - start, 0), hi = Math.min(to - start, m[c].length);
        float[][] s = scratch.get();
        float[] g = s[0], p = s[1], mc = m[c], vc = v[c];
        FloatPointer gp = new FloatPointer(grad).position(grad.position() + start + lo);
        FloatPointer pp = new FloatPointer(params).position(params.position() + start + lo);
        gp.get(g, lo, hi - lo);
        pp.get(p, lo, hi - lo);
        float b1 = (float) beta1, b2 = (float) beta2, ob1 = (float) (1 - beta1), ob2 = (float) (1 - beta2), e = (float) eps;
        for (int i = lo; i < hi; i++) {
            float gi = g[i];
            float mi = b1 * mc[i] + ob1 * gi;
            float vi = b2 * vc[i] + ob2 * gi * gi;
            mc[i] = mi;
            vc[i] = vi;
            p[i] -= stepSize * mi / ((float) Math.sqrt(vi) * invSqrtBc2 + e);
        }
        pp.put(p, lo, hi - lo);
    }
}
