package org.deepclustering.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One 2-D convolution (or transposed convolution) of the convolutional autoencoder, as copies; samples are
 * channels-last (HWC) flat rows. Output = activation(conv(input) + bias).
 *
 * @param geometry   sizes, stride and padding (see {@link ConvGeometry}); a convolution maps the image side to the
 *                   grid side, a transposed convolution the grid side back to the image side
 * @param transposed whether this is the decoder's transposed convolution
 * @param weight     {@code (kernel * kernel * imageC) x gridC}, rows ordered (ky, kx, imageC): Keras' kernel layout
 *                   (kh, kw, in, out) for a convolution, (kh, kw, out, in) for a transposed convolution
 * @param bias       1 x output channels
 * @param activation applied after the bias
 */
public record Conv2dLayerParams(ConvGeometry geometry, boolean transposed, INDArray weight, INDArray bias,
                                Activation activation) implements LayerParams {
    @Override
    public int inputSize() { return transposed ? geometry.gridSize() : geometry.imageSize(); }

    @Override
    public int outputSize() { return transposed ? geometry.imageSize() : geometry.gridSize(); }

    public int inputChannels() { return transposed ? geometry.gridC() : geometry.imageC(); }

    public int outputChannels() { return transposed ? geometry.imageC() : geometry.gridC(); }
}
