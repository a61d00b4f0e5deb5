package org.deepclustering.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Result of {@link AutoencoderTrainer#forward}: views into the trainer's preallocated buffers, valid until the next
 * {@code forward} call of the same trainer. Do not modify them.
 */
public final class ForwardPass {
    final int batchSize;
    final boolean training;
    final boolean decoded;
    final long serial;
    private final INDArray embedding;
    private final INDArray reconstruction;

    ForwardPass(int batchSize, boolean training, boolean decoded, long serial, INDArray embedding, INDArray reconstruction) {
        this.batchSize = batchSize;
        this.training = training;
        this.decoded = decoded;
        this.serial = serial;
        this.embedding = embedding;
        this.reconstruction = reconstruction;
    }

    public int batchSize() { return batchSize; }

    public boolean training() { return training; }

    /** The embedding Z (batch x embeddingDim), a view. */
    public INDArray embedding() { return embedding; }

    /** The reconstruction (batch x inputDim), a view; null when the decoder was not run. */
    public INDArray reconstruction() { return reconstruction; }
}
