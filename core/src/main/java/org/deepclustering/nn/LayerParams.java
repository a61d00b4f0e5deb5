package org.deepclustering.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Copies of one layer's parameters: a dense layer or a (transposed) convolution; see {@link Autoencoder#encoderStages()}. */
public sealed interface LayerParams permits DenseLayerParams, Conv2dLayerParams {
    /** Values per sample going in (a flat row; images channels-last). */
    int inputSize();

    /** Values per sample coming out. */
    int outputSize();

    INDArray bias();

    Activation activation();
}
