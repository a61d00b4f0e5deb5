package org.deepclustering.nn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link AutoencoderTrainer#backwardAndStep} (each layer updated by Adam as soon as its backward pass is done) gives
 * bit for bit the parameters of {@code backward} then {@code step}, for every layer kind and for encoder-only steps,
 * and updates nothing when the loss is not finite.
 */
class FusedBackwardStepTest {
    private static INDArray rows(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n * d];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble();
        return Nd4j.createFromArray(v).reshape(n, d);
    }

    /** Three steps with the reconstruction loss plus an embedding gradient, then three encoder-only steps. */
    private static float[] train(AutoencoderConfig cfg, int d, boolean fused) {
        Autoencoder ae = Autoencoder.create(d, cfg, 11);
        AutoencoderTrainer t = new AutoencoderTrainer(ae, OptimizerConfig.adam(0.01), 40, 5, Engine.Kind.NATIVE);
        INDArray x = rows(40, d, 3);
        INDArray embeddingGradient = rows(40, ae.embeddingDim(), 4).subi(0.5);
        for (int i = 0; i < 6; i++) {
            boolean decode = i < 3;
            ForwardPass f = t.forward(x, true, decode);
            double w = decode ? 1.0 : 0.0;
            if (fused) {
                t.backwardAndStep(f, w, embeddingGradient, i);
            } else {
                t.backward(f, w, embeddingGradient);
                t.step(i);
            }
        }
        assertEquals(6, t.iteration());
        return ae.paramsCopy().data().asFloat();
    }

    @Test
    void sameParametersAsBackwardThenStep() {
        AutoencoderConfig mlp = AutoencoderConfig.builder().hiddenWidths(300, 16).embeddingDim(3).build();
        List<AutoencoderConfig> configs = List.of(mlp, mlp.toBuilder().batchNorm(true).dropout(0.1).inputNoise(0.1).build(),
                AutoencoderConfig.builder().imageShape(8, 8, 1).convChannels(4, 8).convKernels(3, 3).embeddingDim(3).build());
        for (AutoencoderConfig cfg : configs) {
            int d = cfg.isConvolutional() ? 64 : 200; // 200 x 300 weights: several Adam chunks, the parallel path
            float[] separate = train(cfg, d, false);
            float[] fused = train(cfg, d, true);
            float[] initial = Autoencoder.create(d, cfg, 11).paramsCopy().data().asFloat();
            assertFalse(java.util.Arrays.equals(initial, fused), "the fused step trained nothing: " + cfg);
            assertArrayEquals(separate, fused, "fused backward + Adam differs for " + cfg);
        }
    }

    @Test
    void nonFiniteLossUpdatesNothing() {
        for (Engine.Kind kind : Engine.Kind.values()) {
            Autoencoder ae = Autoencoder.create(20, AutoencoderTrainingTest.SMALL, 1);
            INDArray before = ae.paramsCopy();
            AutoencoderTrainer t = new AutoencoderTrainer(ae, OptimizerConfig.adam(), 8, 1, kind);
            INDArray x = Nd4j.zeros(DataType.FLOAT, 8, 20);
            x.putScalar(3, 7, Float.NaN);
            double loss = t.backwardAndStep(t.forward(x, true), 1.0, null, 0);
            assertTrue(Double.isNaN(loss), kind.toString());
            assertEquals(0, t.iteration(), kind.toString());
            assertArrayEquals(before.data().asFloat(), ae.paramsCopy().data().asFloat(), kind.toString());
        }
    }
}
