package org.deepclustering.nn;

/** Naive direct (transposed) convolution in double precision, channels-last, from the definition. */
final class ConvReference {
    private ConvReference() {
    }

    /**
     * y[n, oy, ox, f] = sum_{ky,kx,c} x[n, oy*s-pad+ky, ox*s-pad+kx, c] * w[(ky*k+kx)*C + c, f] (outside the image: 0).
     * w is (k*k*C) x F row-major.
     */
    static double[] conv(ConvGeometry g, int batch, double[] x, double[] w) {
        int h = g.imageH(), wd = g.imageW(), c = g.imageC(), k = g.kernel(), s = g.stride(), p = g.pad();
        int gh = g.gridH(), gw = g.gridW(), f = g.gridC();
        double[] y = new double[batch * g.gridSize()];
        for (int n = 0; n < batch; n++)
            for (int oy = 0; oy < gh; oy++)
                for (int ox = 0; ox < gw; ox++)
                    for (int o = 0; o < f; o++) {
                        double acc = 0;
                        for (int ky = 0; ky < k; ky++)
                            for (int kx = 0; kx < k; kx++) {
                                int iy = oy * s - p + ky, ix = ox * s - p + kx;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                                for (int ch = 0; ch < c; ch++) {
                                    acc += x[n * g.imageSize() + (iy * wd + ix) * c + ch] * w[((ky * k + kx) * c + ch) * f + o];
                                }
                            }
                        y[n * g.gridSize() + (oy * gw + ox) * f + o] = acc;
                    }
        return y;
    }

    /**
     * Transposed convolution by scattering, as in its textbook definition: every input pixel (oy, ox) adds
     * x[oy, ox, :] · w[(ky*k+kx)*C + c, :] to output (oy*s-pad+ky, ox*s-pad+kx, c) when that lies inside the image.
     */
    static double[] deconv(ConvGeometry g, int batch, double[] x, double[] w) {
        int h = g.imageH(), wd = g.imageW(), c = g.imageC(), k = g.kernel(), s = g.stride(), p = g.pad();
        int gh = g.gridH(), gw = g.gridW(), f = g.gridC();
        double[] y = new double[batch * g.imageSize()];
        for (int n = 0; n < batch; n++)
            for (int oy = 0; oy < gh; oy++)
                for (int ox = 0; ox < gw; ox++)
                    for (int ky = 0; ky < k; ky++)
                        for (int kx = 0; kx < k; kx++) {
                            int iy = oy * s - p + ky, ix = ox * s - p + kx;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                            for (int ch = 0; ch < c; ch++) {
                                double acc = 0;
                                for (int o = 0; o < f; o++) {
                                    acc += x[n * g.gridSize() + (oy * gw + ox) * f + o] * w[((ky * k + kx) * c + ch) * f + o];
                                }
                                y[n * g.imageSize() + (iy * wd + ix) * c + ch] += acc;
                            }
                        }
        return y;
    }
}
