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
    private final float[] m;
    private final float[] v;
    private final double beta1, beta2, eps;
    private final int parallelism;
    private final ThreadLocal<float[][]> scratch = ThreadLocal.withInitial(() -> new float[4][CHUNK]);

    FusedAdam(FloatPointer params, FloatPointer grad, long n, double beta1, double beta2, double eps) {
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("too many parameters for the fused Adam: " + n);
        this.params = params;
        this.grad = grad;
        this.n = (int) n;
        this.m = new float[this.n];
        this.v = new float[this.n];
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.parallelism = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), this.n / (4 * CHUNK)));
    }

    /** One update; {@code t} is the 1-based step number. */
    void step(double lr, int t) {
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        float stepSize = (float) (lr / bc1);
        float invSqrtBc2 = (float) (1.0 / Math.sqrt(bc2));
        int chunks = (n + CHUNK - 1) / CHUNK;
        if (parallelism <= 1) {
            for (int c = 0; c < chunks; c++) chunk(c, stepSize, invSqrtBc2);
        } else {
            IntStream.range(0, parallelism).parallel().forEach(w -> {
                for (int c = w; c < chunks; c += parallelism) chunk(c, stepSize, invSqrtBc2);
            });
        }
    }

    private void chunk(int c, float stepSize, float invSqrtBc2) {
        int start = c * CHUNK;
        int len = Math.min(CHUNK, n - start);
        float[][] s = scratch.get();
        float[] g = s[0], p = s[1], mc = s[2], vc = s[3];
        FloatPointer gp = new FloatPointer(grad).position(grad.position() + start);
        FloatPointer pp = new FloatPointer(params).position(params.position() + start);
        gp.get(g, 0, len);
        pp.get(p, 0, len);
        // The moments are copied into chunk arrays too, so that every array in the loop is indexed by i alone: with
        // m[start + i] next to g[i], C2 (JDK 17) does not vectorise the loop, which then runs 2.6x slower.
        System.arraycopy(m, start, mc, 0, len);
        System.arraycopy(v, start, vc, 0, len);
        float b1 = (float) beta1, b2 = (float) beta2, ob1 = (float) (1 - beta1), ob2 = (float) (1 - beta2), e = (float) eps;
        for (int i = 0; i < len; i++) {
            float gi = g[i];
            float mi = b1 * mc[i] + ob1 * gi;
            float vi = b2 * vc[i] + ob2 * gi * gi;
            mc[i] = mi;
            vc[i] = vi;
            p[i] -= stepSize * mi / ((float) Math.sqrt(vi) * invSqrtBc2 + e);
        }
        System.arraycopy(mc, 0, m, start, len);
        System.arraycopy(vc, 0, v, start, len);
        pp.put(p, 0, len);
    }
}
