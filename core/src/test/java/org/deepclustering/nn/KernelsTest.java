package org.deepclustering.nn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The branch-free, vectorisable element-wise kernels against plain reference loops: every activation, row widths
 * that do and do not divide the chunk (1, 3, 10, 500, 2000, wider than a chunk), sizes on the serial and the parallel
 * path, and the special values the activation-derivative trick must get exactly right (±0, the smallest denormal,
 * negatives, infinity).
 */
class KernelsTest {
    private static final int[][] SHAPES = {{7, 1}, {300, 1}, {50_000, 1}, {5, 3}, {256, 10}, {256, 500}, {256, 2000},
            {3, 9000}, {40, 9000}};

    @Test
    void biasActivateMatchesReference() {
        SplittableRandom r = new SplittableRandom(11);
        for (Activation act : new Activation[]{Activation.RELU, Activation.LEAKY_RELU, Activation.IDENTITY}) {
            for (int[] shape : SHAPES) {
                int rows = shape[0], cols = shape[1];
                float[] x = random(r, rows * cols), bias = random(r, cols);
                Blas.Buffer a = buffer(x), b = buffer(bias);
                Kernels.biasActivate(a.ptr(0), b.ptr(0), rows, cols, act);
                float[] got = a.flat.data().asFloat();
                for (int i = 0; i < x.length; i++) {
                    float v = x[i] + bias[i % cols];
                    float want = switch (act) {
                        case RELU -> v > 0 ? v : 0f;
                        case LEAKY_RELU -> v > 0 ? v : v * (float) Activation.LEAKY_SLOPE;
                        default -> v;
                    };
                    assertEquals(want, got[i], 0f, act + " " + rows + "x" + cols + " element " + i);
                }
            }
        }
    }

    @Test
    void reluBackwardIsExactlyTheIndicatorOfPositiveOutputs() {
        SplittableRandom r = new SplittableRandom(12);
        float[] special = {0f, -0f, Float.MIN_VALUE, Float.MIN_NORMAL, 1e-30f, 1f, 3e38f, Float.POSITIVE_INFINITY,
                -Float.MIN_VALUE, -1f, Float.NEGATIVE_INFINITY};
        for (float slope : new float[]{0f, (float) Activation.LEAKY_SLOPE}) {
            for (int n : new int[]{special.length, 8192 * 5 + 17}) {
                float[] a = random(r, n), g = random(r, n);
                System.arraycopy(special, 0, a, 0, special.length);
                Blas.Buffer ab = buffer(a), gb = buffer(g);
                Kernels.reluBackward(ab.ptr(0), gb.ptr(0), n, slope);
                float[] got = gb.flat.data().asFloat();
                for (int i = 0; i < n; i++) {
                    float want = a[i] > 0f ? g[i] : g[i] * slope;
                    assertEquals(want, got[i], 0f, "slope " + slope + " a=" + a[i] + " element " + i);
                }
            }
        }
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    private static Blas.Buffer buffer(float[] values) {
        return new Blas.Buffer(Nd4j.createFromArray(values).reshape(1, values.length).dup());
    }
}
