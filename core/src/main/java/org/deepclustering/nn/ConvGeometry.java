package org.deepclustering.nn;

/**
 * Geometry of one strided 2-D convolution between an "image" grid (the larger one: the input of a convolution, the
 * output of the mirrored transposed convolution) and a "grid" (the smaller one), both stored channels-last (HWC).
 *
 * <p>"Same"-style padding as Keras {@code padding='same'} sizes: {@code gridH = ceil(imageH / stride)}, with
 * {@code pad = (kernel - 1) / 2} zero rows/columns before the image and as many as needed after it (positions outside
 * the image read as 0). For odd kernels this is the symmetric padding of PyTorch's {@code padding=(k-1)/2}. The
 * transposed convolution is the adjoint of this map, so it returns exactly to {@code imageH x imageW} (its PyTorch
 * output padding is {@link #outputPaddingH()} / {@link #outputPaddingW()}).
 *
 * <p>im2col rows are grid pixels (row-major, y then x); columns are (ky, kx, imageC) in that order, so the weight is
 * stored {@code (kernel * kernel * imageC) x gridC}: Keras' kernel layout (kh, kw, in, out) for a convolution and
 * (kh, kw, out, in) for a transposed convolution.
 */
public record ConvGeometry(int imageH, int imageW, int imageC, int gridH, int gridW, int gridC, int kernel, int stride,
                           int pad) {

    public ConvGeometry {
        if (imageH <= 0 || imageW <= 0 || imageC <= 0 || gridC <= 0 || kernel <= 0 || stride <= 0) {
            throw new IllegalArgumentException("convolution sizes must be positive: image " + imageH + "x" + imageW + "x"
                    + imageC + ", channels " + gridC + ", kernel " + kernel + ", stride " + stride);
        }
    }

    /** A convolution of an {@code h x w x c} image to {@code filters} channels with the "same"-style padding. */
    public static ConvGeometry same(int h, int w, int c, int filters, int kernel, int stride) {
        return new ConvGeometry(h, w, c, ceilDiv(h, stride), ceilDiv(w, stride), filters, kernel, stride, (kernel - 1) / 2);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Values per image-side sample (imageH * imageW * imageC). */
    public int imageSize() { return imageH * imageW * imageC; }

    /** Values per grid-side sample (gridH * gridW * gridC). */
    public int gridSize() { return gridH * gridW * gridC; }

    public int imagePixels() { return imageH * imageW; }

    public int gridPixels() { return gridH * gridW; }

    /** Width of an im2col row: kernel * kernel * imageC. */
    public int colWidth() { return kernel * kernel * imageC; }

    /** Padding after the image (bottom): may exceed or fall short of {@link #pad()} by one; never negative here. */
    public int padEndH() { return Math.max(0, (gridH - 1) * stride + kernel - imageH - pad); }

    public int padEndW() { return Math.max(0, (gridW - 1) * stride + kernel - imageW - pad); }

    /** PyTorch ConvTranspose2d output_padding that gives back imageH: imageH - ((gridH-1) s - 2 pad + k). */
    public int outputPaddingH() { return imageH - ((gridH - 1) * stride - 2 * pad + kernel); }

    public int outputPaddingW() { return imageW - ((gridW - 1) * stride - 2 * pad + kernel); }
}
