package org.deepclustering.nn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Inference runs in chunks through buffers reused from chunk to chunk: every row must get the embedding (and
 * reconstruction) it gets when encoded alone, whatever chunk it falls in, for the dense and the convolutional
 * autoencoder (the convolutional one on 28x28 images uses chunks of 428 rows, so 1,000 rows span three, the last partial),
 * with ReLU, leaky ReLU and tanh + batch norm; and one or a few rows, which dense layers compute with sgemv instead of sgemm.
 */
class InferenceChunkingTest {
    @Test
    void chunkedInferenceEqualsRowByRow() {
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1000, 28 * 28);
        Autoencoder dense = Autoencoder.create(784, AutoencoderConfig.builder().hiddenWidths(64, 32).embeddingDim(5).build(), 3);
        Autoencoder conv = Autoencoder.create(784, AutoencoderConfig.builder().imageShape(28, 28, 1).embeddingDim(5).build(), 4);
        AutoencoderConfig other = AutoencoderConfig.builder().hiddenWidths(64, 32).embeddingDim(5).build();
        Autoencoder leaky = Autoencoder.create(784, other.toBuilder().activation(Activation.LEAKY_RELU).build(), 5);
        Autoencoder tanhBatchNorm = Autoencoder.create(784, other.toBuilder().activation(Activation.TANH).batchNorm(true).build(), 6);
        for (Autoencoder ae : new Autoencoder[]{dense, conv, leaky, tanhBatchNorm}) {
            INDArray z = ae.encode(x);
            INDArray r = ae.reconstruct(x);
            for (int i : new int[]{0, 1, 427, 428, 429, 511, 856, 999}) {
                INDArray row = x.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all()).dup();
                assertRowsEqual(ae.encode(row), z, i, "embedding");
                assertRowsEqual(ae.reconstruct(row), r, i, "reconstruction");
            }
            // a few rows (dense layers then run as one sgemv per row)
            INDArray three = ae.encode(x.get(NDArrayIndex.interval(500, 503), NDArrayIndex.all()).dup());
            for (int i = 0; i < 3; i++) {
                assertRowsEqual(three.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all()), z, 500 + i, "embedding of 3 rows");
            }
        }
    }

    private static void assertRowsEqual(INDArray single, INDArray all, int i, String what) {
        for (int j = 0; j < single.columns(); j++) {
            assertEquals(single.getFloat(0, j), all.getFloat(i, j), 1e-5f, what + " row " + i + " column " + j);
        }
    }
}
