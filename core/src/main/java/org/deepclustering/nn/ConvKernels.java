package org.deepclustering.nn;

import org.bytedeco.javacpp.FloatPointer;

import java.util.stream.IntStream;

/**
 * im2col / col2im for {@link ConvGeometry} on engine-owned native buffers (channels-last rows). Work is done one sample
 * at a time in small thread-local heap arrays (one bulk copy in, one bulk copy out per sample; contiguous runs of
 * {@code kernel * channels} floats are moved with {@link System#arraycopy}) and split over the cores. The thread-local
 * arrays grow to the largest geometry once; nothing is allocated per batch after that.
 */
final class ConvKernels {
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    /** Below this many column values per batch the work stays on the calling thread. */
    private static final long MIN_PARALLEL = 1L << 16;
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[][]{new float[0], new float[0]});

    private ConvKernels() {
    }

    private interface PerSample {
        void apply(int sample, float[] image, float[] cols);
    }

    private static void forSamples(ConvGeometry g, int batch, PerSample body) {
        int imgLen = g.imageSize();
        int colLen = g.gridPixels() * g.colWidth();
        if (CORES <= 1 || batch < 2 || (long) batch * colLen < MIN_PARALLEL) {
            float[][] s = scratch(imgLen, colLen);
            for (int i = 0; i < batch; i++) body.apply(i, s[0], s[1]);
            return;
        }
        int workers = Math.min(CORES, batch);
        IntStream.range(0, workers).parallel().forEach(w -> {
            float[][] s = scratch(imgLen, colLen);
            for (int i = w; i < batch; i += workers) body.apply(i, s[0], s[1]);
        });
    }

    private static float[][] scratch(int imgLen, int colLen) {
        float[][] s = SCRATCH.get();
        if (s[0].length < imgLen) s[0] = new float[imgLen];
        if (s[1].length < colLen) s[1] = new float[colLen];
        return s;
    }

    private static FloatPointer at(FloatPointer p, long offset) {
        return new FloatPointer(p).position(p.position() + offset);
    }

    /** cols (batch*gridPixels x colWidth) = im2col(images (batch x imageSize)). */
    static void im2col(ConvGeometry g, int batch, FloatPointer images, FloatPointer cols) {
        int imgLen = g.imageSize();
        int colLen = g.gridPixels() * g.colWidth();
        forSamples(g, batch, (i, img, col) -> {
            at(images, (long) i * imgLen).get(img, 0, imgLen);
            im2col(g, img, col);
            at(cols, (long) i * colLen).put(col, 0, colLen);
        });
    }

    /** images (batch x imageSize) = col2im(cols): the adjoint of im2col (overlapping patches are summed). */
    static void col2im(ConvGeometry g, int batch, FloatPointer cols, FloatPointer images) {
        int imgLen = g.imageSize();
        int colLen = g.gridPixels() * g.colWidth();
        forSamples(g, batch, (i, img, col) -> {
            at(cols, (long) i * colLen).get(col, 0, colLen);
            col2im(g, col, img);
            at(images, (long) i * imgLen).put(img, 0, imgLen);
        });
    }

    /** One sample: col[(oy*gridW+ox)*colWidth + (ky*k+kx)*C + c] = img[((oy*s-pad+ky)*W + ox*s-pad+kx)*C + c] or 0. */
    static void im2col(ConvGeometry g, float[] img, float[] col) {
        final int h = g.imageH(), w = g.imageW(), c = g.imageC(), k = g.kernel(), s = g.stride(), pad = g.pad();
        final int gh = g.gridH(), gw = g.gridW(), cw = g.colWidth(), kc = k * c;
        int row = 0;
        for (int oy = 0; oy < gh; oy++) {
            for (int ox = 0; ox < gw; ox++, row += cw) {
                int x0 = ox * s - pad;
                boolean inside = x0 >= 0 && x0 + k <= w;
                for (int ky = 0; ky < k; ky++) {
                    int iy = oy * s - pad + ky;
                    int dst = row + ky * kc;
                    if (iy < 0 || iy >= h) {
                        java.util.Arrays.fill(col, dst, dst + kc, 0f);
                    } else if (inside) {
                        System.arraycopy(img, (iy * w + x0) * c, col, dst, kc);
                    } else {
                        for (int kx = 0; kx < k; kx++) {
                            int ix = x0 + kx;
                            int d = dst + kx * c;
                            if (ix < 0 || ix >= w) {
                                for (int j = 0; j < c; j++) col[d + j] = 0f;
                            } else {
                                int src = (iy * w + ix) * c;
                                for (int j = 0; j < c; j++) col[d + j] = img[src + j];
                            }
                        }
                    }
                }
            }
        }
    }

    /** One sample: img = 0, then img[...] += col[...] over the same index map as {@link #im2col(ConvGeometry, float[], float[])}. */
    static void col2im(ConvGeometry g, float[] col, float[] img) {
        final int h = g.imageH(), w = g.imageW(), c = g.imageC(), k = g.kernel(), s = g.stride(), pad = g.pad();
        final int gh = g.gridH(), gw = g.gridW(), cw = g.colWidth(), kc = k * c;
        java.util.Arrays.fill(img, 0, g.imageSize(), 0f);
        int row = 0;
        for (int oy = 0; oy < gh; oy++) {
            for (int ox = 0; ox < gw; ox++, row += cw) {
                int x0 = ox * s - pad;
                int kx0 = Math.max(0, -x0);
                int kx1 = Math.min(k, w - x0);
                for (int ky = 0; ky < k; ky++) {
                    int iy = oy * s - pad + ky;
                    if (iy < 0 || iy >= h) continue;
                    int src = row + ky * kc + kx0 * c;
                    int dst = (iy * w + x0 + kx0) * c;
                    int len = (kx1 - kx0) * c;
                    for (int j = 0; j < len; j++) img[dst + j] += col[src + j];
                }
            }
        }
    }
}
