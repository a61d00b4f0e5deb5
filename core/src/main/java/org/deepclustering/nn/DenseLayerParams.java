package org.deepclustering.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One dense layer, as copies: output = activation(batchNorm(input · weight + bias)).
 *
 * @param weight     in x out
 * @param bias       1 x out
 * @param activation activation applied after the optional batch norm ({@link Activation#IDENTITY} = linear)
 * @param batchNorm  batch-norm parameters, or null when the layer has none
 */
public record DenseLayerParams(INDArray weight, INDArray bias, Activation activation, BatchNormParams batchNorm)
        implements LayerParams {
    @Override
    public int inputSize() { return (int) weight.rows(); }

    @Override
    public int outputSize() { return (int) weight.columns(); }
}
