package org.deepclustering.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One implementation of the training step behind {@link AutoencoderTrainer} (see there for the contract): the fast
 * CPU engine ({@link NativeCpuEngine}: OpenBLAS on host pointers, Java kernels) or the portable engine
 * ({@link Nd4jEngine}: ND4J operations on INDArrays only, so it runs on any ND4J backend, CUDA included). Chosen once
 * per trainer by {@link Engine}. Arguments are validated by {@link AutoencoderTrainer} before they get here.
 */
interface TrainingEngine {
    Autoencoder autoencoder();

    int maxBatchSize();

    int iteration();

    INDArray gradients();

    ForwardPass forward(INDArray xBatch, boolean training, boolean decode);

    ForwardPass forwardRows(INDArray data, int[] rowIndex, int from, int to, boolean training, boolean decode);

    double backward(ForwardPass f, double reconstructionWeight, INDArray embeddingGradient);

    void step(int epoch);

    /** {@link #backward} then, when the returned loss is finite, {@link #step}; engines may fuse the two. */
    default double backwardAndStep(ForwardPass f, double reconstructionWeight, INDArray embeddingGradient, int epoch) {
        double loss = backward(f, reconstructionWeight, embeddingGradient);
        if (Double.isFinite(loss)) step(epoch);
        return loss;
    }
}
