package org.deepclustering.nn;

import org.deepclustering.algorithms.AutoencoderKMeans;
import org.deepclustering.data.Dataset;
import org.deepclustering.data.Scaling;
import org.deepclustering.metrics.ClusteringMetrics;
import org.deepclustering.model.ClusteringModel;
import org.deepclustering.testing.SharedData;
import org.deepclustering.testing.TinyConfigs;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The portable ND4J-operations engine (the one used on the CUDA backend; forced here on the CPU) computes the same
 * losses, gradients, parameters, embeddings and clusterings as the fast native CPU engine, for the same seed.
 * Tolerance: 1e-4 relative (reductions such as column sums and the loss are summed in a different order).
 */
class PortableEngineMatchesNativeCpuEngineTest {
    private static final double REL = 1e-4;

    /** digits without its 3 constant pixels (so that MIN_MAX scaling accepts it). */
    private static Dataset digits() {
        Dataset d = SharedData.load("digits.arff.gz");
        return d.withoutColumns(d.constantColumns());
    }

    /** digits (61 non-constant pixels) scaled to [0, 1] (values 0..16). */
    private static INDArray digitsX() {
        return digits().toINDArray().div(16.0).castTo(DataType.FLOAT);
    }

    private static <T> T withEngine(String engine, Supplier<T> body) {
        String old = System.getProperty(Engine.PROPERTY);
        System.setProperty(Engine.PROPERTY, engine);
        try {
            return body.get();
        } finally {
            if (old == null) System.clearProperty(Engine.PROPERTY);
            else System.setProperty(Engine.PROPERTY, old);
        }
    }

    /** Losses of {@code steps} training steps on one engine, and the final parameters (copy). */
    private record Run(List<Double> losses, float[] params, float[] lastGradient, float[] runningStats) {
    }

    /**
     * Trains a fresh autoencoder (seed 11) for {@code steps} mini-batches of 64 shuffled digits rows: forwardRows,
     * backward with {@code recWeight} and, if {@code embeddingGradient}, dL/dZ = 0.05 Z / B (a pull towards 0, as a
     * clustering loss would add), step.
     */
    private static Run train(Engine.Kind kind, AutoencoderConfig cfg, OptimizerConfig opt, double recWeight,
                             boolean embeddingGradient, int steps) {
        INDArray x = digitsX();
        Autoencoder ae = Autoencoder.create(61, cfg, 11);
        AutoencoderTrainer t = new AutoencoderTrainer(ae, opt, 64, 5, kind);
        assertEquals(kind, t.engine());
        int n = (int) x.rows();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        SplittableRandom r = new SplittableRandom(3);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        List<Double> losses = new ArrayList<>();
        float[] lastGrad = null;
        for (int s = 0; s < steps; s++) {
            int from = (s * 64) % (n - 64);
            ForwardPass f = t.forwardRows(x, order, from, from + 64, true, recWeight > 0);
            INDArray dz = embeddingGradient ? f.embedding().mul(0.05 / 64) : null;
            double loss = t.backward(f, recWeight, dz);
            if (embeddingGradient) loss += 0.025 * f.embedding().norm2Number().doubleValue()
                    * f.embedding().norm2Number().doubleValue() / 64;
            losses.add(loss);
            lastGrad = t.gradients().dup().data().asFloat();
            t.step(s / 3);
        }
        return new Run(losses, ae.paramsCopy().data().asFloat(), lastGrad, ae.stateBuffer().flat.dup().data().asFloat());
    }

    private static void assertClose(float[] expected, float[] actual, double rel, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        double scale = 0;
        for (float e : expected) scale = Math.max(scale, Math.abs(e));
        int bad = 0;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]);
            // relative per element, with an absolute floor of rel * (largest magnitude) for values near 0
            double tol = rel * Math.max(Math.abs(expected[i]), 1e-2 * scale);
            if (d > tol) bad++;
            worst = Math.max(worst, d / Math.max(Math.abs(expected[i]), 1e-2 * scale));
        }
        assertEquals(0, bad, what + ": " + bad + " of " + expected.length + " values differ by more than " + rel
                + " relative (worst " + worst + ")");
    }

    private static void assertSameTraining(AutoencoderConfig cfg, OptimizerConfig opt, double recWeight, boolean embGrad) {
        assertSameTraining(cfg, opt, recWeight, embGrad, REL);
    }

    /** {@code gradRel}: tolerance of the gradient (batch-norm backward subtracts nearly equal sums: 1e-3). */
    private static void assertSameTraining(AutoencoderConfig cfg, OptimizerConfig opt, double recWeight, boolean embGrad,
                                           double gradRel) {
        Run fast = train(Engine.Kind.NATIVE, cfg, opt, recWeight, embGrad, 6);
        Run portable = train(Engine.Kind.ND4J, cfg, opt, recWeight, embGrad, 6);
        String what = opt.getType() + " recWeight " + recWeight + " embeddingGradient " + embGrad + " " + cfg;
        for (int s = 0; s < fast.losses.size(); s++) {
            assertEquals(fast.losses.get(s), portable.losses.get(s), REL * Math.abs(fast.losses.get(s)),
                    what + ": loss of step " + s + " " + fast.losses + " vs " + portable.losses);
        }
        assertTrue(fast.losses.get(0) > 0, "losses must be non-trivial: " + fast.losses);
        assertClose(fast.lastGradient, portable.lastGradient, gradRel, what + ": gradient of the last step");
        assertClose(fast.params, portable.params, REL, what + ": parameters after 6 steps");
        assertClose(fast.runningStats, portable.runningStats, REL, what + ": batch-norm running statistics");
    }

    private static final AutoencoderConfig NET = AutoencoderConfig.builder().hiddenWidths(32, 16).embeddingDim(4).build();

    @Test
    void adamWithReconstructionAndEmbeddingGradient() {
        assertSameTraining(NET, OptimizerConfig.adam(0.01), 1.0, true);
    }

    @Test
    void adamReconstructionOnlyWithStepDecay() {
        assertSameTraining(NET, OptimizerConfig.adam(0.01).toBuilder().decayFactor(0.5).decayEveryEpochs(1).build(),
                1.0, false);
    }

    @Test
    void adamEmbeddingGradientOnlyLeavesDecoderGradientZero() {
        assertSameTraining(NET, OptimizerConfig.adam(0.01), 0.0, true);
    }

    @Test
    void sgdWithWeightedReconstructionAndEmbeddingGradient() {
        assertSameTraining(NET, OptimizerConfig.sgd(0.1), 0.5, true);
    }

    @Test
    void nesterovAndClassicMomentum() {
        assertSameTraining(NET, OptimizerConfig.nesterov(0.05, 0.9), 1.0, true);
        assertSameTraining(NET, OptimizerConfig.sgdMomentum(0.05, 0.9), 1.0, false);
    }

    @Test
    void batchNormDropoutMaskingNoiseAndOtherActivations() {
        // batch norm: measured worst gradient difference 1.2e-4 relative (cancellation in its backward pass). With SGD:
        // the bias before a batch norm has true gradient 0 (the norm removes it), so its computed gradient is rounding
        // noise of either sign, which Adam normalises into +-lr steps that differ between the engines (measured with
        // Adam: 96 of 5409 parameters differed after 6 steps, worst by 2.2 relative; losses still agreed to 1e-4; the
        // likely cause is this noise, not verified parameter by parameter). SGD keeps that noise at ~1e-9.
        assertSameTraining(NET.toBuilder().batchNorm(true).build(), OptimizerConfig.sgd(0.1), 1.0, true, 1e-3);
        assertSameTraining(NET.toBuilder().dropout(0.2).inputNoise(0.1).activation(Activation.ELU).build(),
                OptimizerConfig.adam(0.01), 1.0, true);
        assertSameTraining(NET.toBuilder().activation(Activation.LEAKY_RELU).build(), OptimizerConfig.sgd(0.1), 1.0, true);
        assertSameTraining(NET.toBuilder().activation(Activation.SIGMOID).build(), OptimizerConfig.adam(0.01), 1.0, false);
    }

    @Test
    void encodeAndReconstructAgree() {
        INDArray x = digitsX();
        Autoencoder ae = Autoencoder.create(61, NET.toBuilder().batchNorm(true).build(), 4);
        // a few steps so that the batch-norm running statistics are not trivial
        AutoencoderTrainer t = new AutoencoderTrainer(ae, OptimizerConfig.adam(0.01), 128, 1, Engine.Kind.NATIVE);
        for (int s = 0; s < 5; s++) {
            int[] idx = new int[128];
            for (int i = 0; i < 128; i++) idx[i] = (s * 128 + i) % (int) x.rows();
            t.backward(t.forwardRows(x, idx, 0, 128, true, true), 1.0, null);
            t.step(0);
        }
        float[] zFast = withEngine("native", () -> ae.encode(x)).data().asFloat();
        float[] zPortable = withEngine("nd4j", () -> ae.encode(x)).data().asFloat();
        assertClose(zFast, zPortable, REL, "encode");
        float[] rFast = withEngine("native", () -> ae.reconstruct(x)).data().asFloat();
        float[] rPortable = withEngine("nd4j", () -> ae.reconstruct(x)).data().asFloat();
        assertClose(rFast, rPortable, REL, "reconstruct");
        float[] dFast = withEngine("native", () -> ae.decode(ae.encode(x))).data().asFloat();
        float[] dPortable = withEngine("nd4j", () -> ae.decode(ae.encode(x))).data().asFloat();
        assertClose(dFast, dPortable, REL, "decode");
    }

    @Test
    void autoencoderKMeansOnDigitsGivesTheSameClustering() {
        Dataset data = digits();
        Supplier<ClusteringModel> fit = () -> new AutoencoderKMeans(AutoencoderKMeans.Config.defaults(10)
                .withCommon(TinyConfigs.common(10, 64, 32, 10, 8, 42, Scaling.MIN_MAX))).fit(data);
        ClusteringModel fast = withEngine("native", fit);
        ClusteringModel portable = withEngine("nd4j", fit);
        int[] a = withEngine("native", () -> fast.predict(data));
        int[] b = withEngine("nd4j", () -> portable.predict(data));
        double accFast = ClusteringMetrics.accuracy(data.labels(), a);
        double accPortable = ClusteringMetrics.accuracy(data.labels(), b);
        int same = 0;
        for (int i = 0; i < a.length; i++) if (a[i] == b[i]) same++;
        assertTrue(accFast > 0.5, "AE+KMeans on digits should cluster (ACC " + accFast + ")");
        assertEquals(accFast, accPortable, 0.01, "ACC native " + accFast + " vs portable " + accPortable
                + " (identical labels: " + same + " of " + a.length + ")");
    }

    @Test
    void convolutionalAutoencoderIsRefusedClearlyOnThePortableEngine() {
        AutoencoderConfig conv = AutoencoderConfig.builder().imageShape(8, 8, 1).convChannels(2, 4).convKernels(3, 3).embeddingDim(3).build();
        Autoencoder ae = Autoencoder.create(64, conv, 1);
        var e = assertThrows(UnsupportedOperationException.class,
                () -> new AutoencoderTrainer(ae, OptimizerConfig.adam(), 16, 1, Engine.Kind.ND4J));
        assertTrue(e.getMessage().contains("convolutional") && e.getMessage().contains("docs/gpu.md"), e.getMessage());
        var e2 = assertThrows(UnsupportedOperationException.class, () -> withEngine("nd4j", () -> ae.encode(SharedData.load("digits.arff.gz").toINDArray())));
        assertTrue(e2.getMessage().contains("convolutional"), e2.getMessage());
    }

    @Test
    void engineSelection() {
        assertEquals(Engine.Kind.NATIVE, withEngine("auto", Engine::selected), "the CPU backend defaults to the fast engine");
        assertEquals(Engine.Kind.ND4J, withEngine("nd4j", Engine::selected));
        assertEquals(Engine.Kind.NATIVE, withEngine("native", Engine::selected));
        var e = assertThrows(IllegalArgumentException.class, () -> withEngine("gpu", Engine::selected));
        assertTrue(e.getMessage().contains("deepclustering.engine"), e.getMessage());
        Autoencoder ae = Autoencoder.create(61, NET, 1);
        assertEquals(Engine.Kind.ND4J, withEngine("nd4j",
                () -> new AutoencoderTrainer(ae, OptimizerConfig.adam(), 8, 1).engine()));
    }
}
