package org.deepclustering.nn;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The im2col/col2im + GEMM convolution and transposed convolution ({@link ConvOps}) against the naive direct
 * definitions ({@link ConvReference}), and their backward passes against finite differences of the double reference.
 */
class ConvLayerTest {

    private static double[] random(int n, SplittableRandom r) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (float) (2 * r.nextDouble() - 1); // float-representable
        return v;
    }

    private static Blas.Buffer buffer(double[] v) {
        Blas.Buffer b = new Blas.Buffer(v.length);
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        b.ptr(0).put(f, 0, f.length);
        return b;
    }

    private static float[] read(Blas.Buffer b, int n) {
        float[] f = new float[n];
        b.ptr(0).get(f, 0, n);
        return f;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static void assertClose(double[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        double maxErr = 0;
        for (int i = 0; i < expected.length; i++) maxErr = Math.max(maxErr, Math.abs(expected[i] - actual[i]));
        assertTrue(maxErr <= tol, what + ": max |error| " + maxErr + " > " + tol);
    }

    @ParameterizedTest(name = "{0}x{1}x{2} -> {3} k{4} s{5}")
    @CsvSource({"28,28,1,4,5,2", "7,7,3,5,3,2", "16,16,2,3,5,2", "8,8,1,2,3,2", "2,2,3,2,3,2", "9,6,2,3,4,2",
            "5,5,2,3,3,1", "1,1,2,3,3,2"})
    void forwardMatchesDirectConvolution(int h, int w, int c, int filters, int k, int s) {
        ConvGeometry g = ConvGeometry.same(h, w, c, filters, k, s);
        assertEquals((h + s - 1) / s, g.gridH());
        assertEquals((w + s - 1) / s, g.gridW());
        SplittableRandom r = new SplittableRandom(h * 31L + w * 7L + c + k);
        int batch = 3;
        double[] x = random(batch * g.imageSize(), r);
        double[] wt = random(g.colWidth() * g.gridC(), r);
        double[] xg = random(batch * g.gridSize(), r);
        Blas.Buffer cols = new Blas.Buffer((long) batch * g.gridPixels() * g.colWidth());
        Blas.Buffer y = new Blas.Buffer((long) batch * g.gridSize());
        Blas.Buffer wb = buffer(wt);
        ConvOps.convForward(g, batch, buffer(x).ptr(0), cols.ptr(0), wb.ptr(0), y.ptr(0));
        assertClose(ConvReference.conv(g, batch, x, wt), read(y, batch * g.gridSize()), 1e-5 * g.colWidth(), "convolution");

        Blas.Buffer yd = new Blas.Buffer((long) batch * g.imageSize());
        ConvOps.deconvForward(g, batch, buffer(xg).ptr(0), cols.ptr(0), wb.ptr(0), yd.ptr(0));
        assertClose(ConvReference.deconv(g, batch, xg, wt), read(yd, batch * g.imageSize()), 1e-5 * g.colWidth(),
                "transposed convolution");
        // the transposed convolution is the adjoint: <conv(x), xg> = <x, deconv(xg)>
        double lhs = dot(ConvReference.conv(g, batch, x, wt), xg);
        double rhs = dot(x, ConvReference.deconv(g, batch, xg, wt));
        assertEquals(lhs, rhs, 1e-9 * Math.max(1, Math.abs(lhs)));
    }

    /**
     * Loss L = <layer(x; W), R> for a random R; the analytic dL/dW and dL/dx from the engine's backward versus central
     * differences of the double-precision direct reference (exact up to rounding: L is bilinear in x and W).
     */
    @ParameterizedTest(name = "transposed={0} {1}x{2}x{3} -> {4} k{5}")
    @CsvSource({"false,7,7,2,3,3", "true,7,7,2,3,3", "false,8,6,1,4,5", "true,8,6,1,4,5", "false,4,4,3,2,3", "true,5,5,3,2,5"})
    void backwardMatchesFiniteDifferences(boolean transposed, int h, int w, int c, int filters, int k) {
        ConvGeometry g = ConvGeometry.same(h, w, c, filters, k, 2);
        SplittableRandom r = new SplittableRandom(17 + h + k);
        int batch = 2;
        int inLen = batch * (transposed ? g.gridSize() : g.imageSize());
        int outLen = batch * (transposed ? g.imageSize() : g.gridSize());
        double[] x = random(inLen, r);
        double[] wt = random(g.colWidth() * g.gridC(), r);
        double[] rr = random(outLen, r);
        Blas.Buffer xb = buffer(x), wb = buffer(wt), dy = buffer(rr);
        Blas.Buffer cols = new Blas.Buffer((long) batch * g.gridPixels() * g.colWidth());
        Blas.Buffer dcols = new Blas.Buffer((long) batch * g.gridPixels() * g.colWidth());
        Blas.Buffer y = new Blas.Buffer(outLen), dw = new Blas.Buffer(wt.length), dx = new Blas.Buffer(inLen);
        if (transposed) {
            ConvOps.deconvForward(g, batch, xb.ptr(0), cols.ptr(0), wb.ptr(0), y.ptr(0));
            ConvOps.deconvBackward(g, batch, xb.ptr(0), wb.ptr(0), dy.ptr(0), dw.ptr(0), dcols.ptr(0), dx.ptr(0));
        } else {
            ConvOps.convForward(g, batch, xb.ptr(0), cols.ptr(0), wb.ptr(0), y.ptr(0));
            ConvOps.convBackward(g, batch, cols.ptr(0), wb.ptr(0), dy.ptr(0), dw.ptr(0), dcols.ptr(0), dx.ptr(0));
        }
        java.util.function.BiFunction<double[], double[], Double> loss = (xx, ww) ->
                dot(transposed ? ConvReference.deconv(g, batch, xx, ww) : ConvReference.conv(g, batch, xx, ww), rr);
        double hStep = 1e-3;
        float[] aw = read(dw, wt.length), ax = read(dx, inLen);
        double[] fdW = new double[wt.length], fdX = new double[inLen];
        for (int i = 0; i < wt.length; i++) {
            double o = wt[i];
            wt[i] = o + hStep;
            double lp = loss.apply(x, wt);
            wt[i] = o - hStep;
            double lm = loss.apply(x, wt);
            wt[i] = o;
            fdW[i] = (lp - lm) / (2 * hStep);
        }
        for (int i = 0; i < inLen; i++) {
            double o = x[i];
            x[i] = o + hStep;
            double lp = loss.apply(x, wt);
            x[i] = o - hStep;
            double lm = loss.apply(x, wt);
            x[i] = o;
            fdX[i] = (lp - lm) / (2 * hStep);
        }
        assertClose(fdW, aw, 1e-4 * batch * g.gridPixels() * Math.max(1, g.kernel()), "dL/dW");
        assertClose(fdX, ax, 1e-4 * g.colWidth(), "dL/dx");
        double maxW = 0;
        for (double v : fdW) maxW = Math.max(maxW, Math.abs(v));
        assertTrue(maxW > 0.1, "degenerate check");
    }
}
