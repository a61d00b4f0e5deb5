package org.deepclustering.nn;

import org.bytedeco.javacpp.FloatPointer;

/**
 * Forward and backward of a 2-D convolution and of its transposed convolution through im2col/col2im and
 * {@code cblas_sgemm}, on engine-owned native buffers. Shapes (row-major, channels-last samples), with
 * {@code M = batch * gridPixels}, {@code K = kernel * kernel * imageC}, {@code W: K x gridC}:
 * <ul>
 *   <li>convolution: {@code cols (M x K) = im2col(X)}, {@code Y (M x gridC) = cols W};
 *       backward {@code dW = cols^T dY}, {@code dX = col2im(dY W^T)}</li>
 *   <li>transposed convolution (the adjoint): {@code cols (M x K) = X (M x gridC) W^T}, {@code Y = col2im(cols)};
 *       backward {@code dcols = im2col(dY)}, {@code dW = dcols^T X}, {@code dX = dcols W}</li>
 * </ul>
 * Biases and activations are applied by the caller (bias per output channel: a row vector over
 * {@code batch * pixels} rows).
 */
final class ConvOps {
    private ConvOps() {
    }

    /** y (batch x gridSize) = conv(x (batch x imageSize)); cols: scratch of batch * gridPixels * colWidth floats, kept for backward. */
    static void convForward(ConvGeometry g, int batch, FloatPointer x, FloatPointer cols, FloatPointer w, FloatPointer y) {
        int m = batch * g.gridPixels(), k = g.colWidth(), n = g.gridC();
        ConvKernels.im2col(g, batch, x, cols);
        Blas.gemm(false, false, m, n, k, cols, k, w, n, 0f, y, n);
    }

    /** dW = cols^T dY (cols from {@link #convForward}); dX = col2im(dY W^T) when dx != null (dcols: scratch). */
    static void convBackward(ConvGeometry g, int batch, FloatPointer cols, FloatPointer w, FloatPointer dy, FloatPointer dw,
                             FloatPointer dcols, FloatPointer dx) {
        int m = batch * g.gridPixels(), k = g.colWidth(), n = g.gridC();
        Blas.gemm(true, false, k, n, m, cols, k, dy, n, 0f, dw, n);
        if (dx != null) {
            Blas.gemm(false, true, m, k, n, dy, n, w, n, 0f, dcols, k);
            ConvKernels.col2im(g, batch, dcols, dx);
        }
    }

    /** y (batch x imageSize) = transposed conv(x (batch x gridSize)); cols: scratch. */
    static void deconvForward(ConvGeometry g, int batch, FloatPointer x, FloatPointer cols, FloatPointer w, FloatPointer y) {
        int m = batch * g.gridPixels(), k = g.colWidth(), n = g.gridC();
        Blas.gemm(false, true, m, k, n, x, n, w, n, 0f, cols, k);
        ConvKernels.col2im(g, batch, cols, y);
    }

    /** dcols = im2col(dY); dW = dcols^T X; dX = dcols W when dx != null. */
    static void deconvBackward(ConvGeometry g, int batch, FloatPointer x, FloatPointer w, FloatPointer dy, FloatPointer dw,
                               FloatPointer dcols, FloatPointer dx) {
        int m = batch * g.gridPixels(), k = g.colWidth(), n = g.gridC();
        ConvKernels.im2col(g, batch, dy, dcols);
        Blas.gemm(true, false, k, n, m, dcols, k, x, n, 0f, dw, n);
        if (dx != null) Blas.gemm(false, false, m, n, k, dcols, k, w, n, 0f, dx, n);
    }
}
