package org.deepclustering.nn;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.deepclustering.testing.SharedData;
import org.deepclustering.train.TrainingMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The convolutional autoencoder: shapes, gradients through the whole network, persistence, seeding, training, errors. */
class ConvAutoencoderTest {

    private static AutoencoderConfig conv(int h, int w, int c, int embedding) {
        return AutoencoderConfig.builder().imageShape(h, w, c).embeddingDim(embedding).build();
    }

    @ParameterizedTest(name = "{0}x{1}x{2}")
    @CsvSource({"28,28,1,14,7,4,294795", "16,16,1,8,4,2,262539", "32,32,3,16,8,4,297997", "8,8,1,4,2,1,254475"})
    void shapesFollowTheImage(int h, int w, int c, int g1, int g2, int g3, long numParams) {
        Autoencoder ae = Autoencoder.create(h * w * c, conv(h, w, c, 10), 1);
        assertEquals(numParams, ae.numParams()); // the counts in docs/algorithms/conv-autoencoder.md
        assertTrue(ae.isConvolutional());
        List<LayerParams> enc = ae.encoderStages();
        assertEquals(4, enc.size());
        int[] grids = {g1, g2, g3};
        int[] channels = {32, 64, 128};
        for (int i = 0; i < 3; i++) {
            Conv2dLayerParams p = (Conv2dLayerParams) enc.get(i);
            assertFalse(p.transposed());
            assertEquals(grids[i], p.geometry().gridH());
            assertEquals(grids[i], p.geometry().gridW());
            assertEquals(channels[i], p.outputChannels());
        }
        assertEquals(g3 * g3 * 128, enc.get(3).inputSize());
        assertEquals(10, enc.get(3).outputSize());
        List<LayerParams> dec = ae.decoderStages();
        assertEquals(4, dec.size());
        assertEquals(g3 * g3 * 128, dec.get(0).outputSize());
        Conv2dLayerParams last = (Conv2dLayerParams) dec.get(3);
        assertTrue(last.transposed());
        assertEquals(h * w * c, last.outputSize());
        assertEquals(c, last.outputChannels());
        assertEquals(Activation.IDENTITY, last.activation());
        assertThrows(IllegalStateException.class, ae::encoderLayers);

        int n = 5;
        INDArray x = GradientCheckTest.randomData(n, h * w * c, 3);
        INDArray z = ae.encode(x);
        assertArrayEquals(new long[]{n, 10}, z.shape());
        assertArrayEquals(new long[]{n, h * w * c}, ae.reconstruct(x).shape());
        assertArrayEquals(new long[]{n, h * w * c}, ae.decode(z).shape());
        // the trainer's forward pass equals inference (no dropout/noise here)
        AutoencoderTrainer t = new AutoencoderTrainer(ae, OptimizerConfig.adam(), 8, 0);
        ForwardPass f = t.forward(x, false);
        assertTrue(f.embedding().equalsWithEps(z, 1e-5));
        assertTrue(f.reconstruction().equalsWithEps(ae.reconstruct(x), 1e-5));
    }

    private static double loss(AutoencoderTrainer t, INDArray x, double w, INDArray embGrad) {
        ForwardPass f = t.forward(x, true);
        double l = 0;
        if (w > 0) {
            INDArray diff = f.reconstruction().castTo(DataType.DOUBLE).sub(x.castTo(DataType.DOUBLE));
            l += w * diff.mul(diff).sumNumber().doubleValue() / diff.length();
        }
        if (embGrad != null) l += f.embedding().castTo(DataType.DOUBLE).mul(embGrad.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
        return l;
    }

    /** backward's gradients of every parameter kind (conv, dense, transposed conv; weights and biases) vs finite differences. */
    @ParameterizedTest(name = "{0} w={1} embGrad={2}")
    @CsvSource({"TANH,1.0,false", "TANH,0.5,true", "TANH,0.0,true", "RELU,1.0,true"})
    void gradientsMatchFiniteDifferences(Activation act, double w, boolean withEmbGrad) {
        AutoencoderConfig cfg = AutoencoderConfig.builder().imageShape(7, 6, 2).convChannels(3, 4).convKernels(3, 5)
                .hiddenWidths(5).embeddingDim(3).activation(act).build();
        Autoencoder ae = Autoencoder.create(7 * 6 * 2, cfg, 42);
        AutoencoderTrainer t = new AutoencoderTrainer(ae, OptimizerConfig.adam(), 6, 1);
        INDArray x = GradientCheckTest.randomData(6, 84, 7);
        INDArray embGrad = withEmbGrad ? GradientCheckTest.randomData(6, 3, 9).subi(0.5).muli(0.3) : null;
        t.backward(t.forward(x, true), w, embGrad);
        float[] analytic = t.gradients().dup().data().asFloat();
        INDArray p = ae.paramBuffer().flat;
        double maxAbs = 0;
        for (float a : analytic) maxAbs = Math.max(maxAbs, Math.abs(a));
        // check every layer's weights and bias, a few entries each
        List<Integer> idx = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(3);
        for (Autoencoder.Layer l : ae.layers()) {
            long wLen = (long) l.def.wRows() * l.def.wCols();
            if (w == 0 && l.wOff >= ae.layers().get(ae.numEncoderLayers()).wOff) continue;
            for (int j = 0; j < 12; j++) idx.add((int) (l.wOff + r.nextInt((int) wLen)));
            for (int j = 0; j < 3; j++) idx.add((int) (l.bOff + r.nextInt(l.def.biasLength())));
        }
        double h = act == Activation.RELU ? 1e-3 : 1e-2;
        int bad = 0;
        for (int i : idx) {
            float orig = p.getFloat(i);
            p.putScalar(i, orig + h);
            double lp = loss(t, x, w, embGrad);
            p.putScalar(i, orig - h);
            double lm = loss(t, x, w, embGrad);
            p.putScalar(i, orig);
            double fd = (lp - lm) / (2 * h);
            if (Math.abs(fd - analytic[i]) > 2e-3 * maxAbs + 0.03 * Math.abs(fd) + 2e-5) {
                bad++;
                System.err.printf("param %d analytic %.6g fd %.6g%n", i, analytic[i], fd);
            }
        }
        int allowed = act == Activation.RELU ? 3 : 1; // ReLU kinks
        assertTrue(bad <= allowed, bad + " of " + idx.size() + " gradient entries disagree (max |g| " + maxAbs + ")");
        assertTrue(maxAbs > 0);
        if (w == 0) { // decoder untouched
            long decStart = ae.layers().get(ae.numEncoderLayers()).wOff;
            for (long i = decStart; i < analytic.length; i++) assertEquals(0f, analytic[(int) i]);
        }
    }

    @Test
    void saveLoadGivesIdenticalOutputsAndSeedsAreReproducible() throws Exception {
        AutoencoderConfig cfg = AutoencoderConfig.builder().imageShape(16, 16, 1).convChannels(4, 8, 8).embeddingDim(5).build();
        Autoencoder a = Autoencoder.create(256, cfg, 7);
        Autoencoder b = Autoencoder.create(256, cfg, 7);
        assertEquals(a.paramsCopy(), b.paramsCopy());
        assertNotEquals(a.paramsCopy(), Autoencoder.create(256, cfg, 8).paramsCopy());
        // train a little so the parameters are not at their initial values
        INDArray x = GradientCheckTest.randomData(40, 256, 5);
        PretrainingConfig pc = PretrainingConfig.builder().epochs(2).batchSize(16).build();
        Autoencoder trained = new Pretrainer(cfg, pc).pretrain(x, a, 3, TrainingMonitor.none());
        Autoencoder again = new Pretrainer(cfg, pc).pretrain(x, b, 3, TrainingMonitor.none());
        assertEquals(trained.paramsCopy(), again.paramsCopy(), "same seed, same training");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        trained.write(out);
        Autoencoder back = Autoencoder.read(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(cfg, back.config());
        assertEquals(trained.encode(x), back.encode(x));
        assertEquals(trained.reconstruct(x), back.reconstruct(x));
        assertEquals(trained.copy().reconstruct(x), trained.reconstruct(x));
    }

    @Test
    void configJsonRoundTripAndOldJsonStillLoads() throws Exception {
        ObjectMapper json = new ObjectMapper();
        AutoencoderConfig cfg = AutoencoderConfig.builder().imageShape(28, 28, 1).embeddingDim(10).build();
        assertArrayEquals(new int[0], cfg.getHiddenWidths());
        AutoencoderConfig back = json.readValue(json.writeValueAsString(cfg), AutoencoderConfig.class);
        assertEquals(cfg, back);
        assertArrayEquals(new int[]{28, 28, 1}, back.getImageShape());
        // a dense config written before the convolutional fields existed
        ObjectNode old = json.valueToTree(AutoencoderConfig.defaults());
        for (String f : new String[]{"imageShape", "convChannels", "convKernels", "convStride"}) {
            assertTrue(old.has(f));
            old.remove(f);
        }
        AutoencoderConfig oldCfg = json.treeToValue(old, AutoencoderConfig.class);
        assertEquals(AutoencoderConfig.defaults(), oldCfg);
        assertFalse(oldCfg.isConvolutional());
        // switching a default dense config to images drops the DEC default hidden widths; explicit ones stay
        assertArrayEquals(new int[0], AutoencoderConfig.defaults().toBuilder().imageShape(8, 8, 1).build().getHiddenWidths());
        assertArrayEquals(new int[]{7}, AutoencoderConfig.builder().hiddenWidths(7).build().toBuilder().imageShape(8, 8, 1)
                .build().getHiddenWidths());
    }

    /** Pretraining on digits (8x8x1: grids 4, 2, 1) reduces the reconstruction loss. */
    @Test
    void pretrainingOnDigitsReducesLoss() {
        INDArray x = SharedData.load("digits.arff.gz").head(600).toINDArray().castTo(DataType.FLOAT).divi(16).dup('c');
        AutoencoderConfig cfg = AutoencoderConfig.builder().imageShape(8, 8, 1).convChannels(8, 16, 32).embeddingDim(10).build();
        List<Double> losses = new ArrayList<>();
        TrainingMonitor mon = TrainingMonitor.of(e -> losses.add(e.losses().get("reconstruction")));
        PretrainingConfig pc = PretrainingConfig.builder().epochs(15).batchSize(64).build();
        Autoencoder ae = new Pretrainer(cfg, pc).pretrain(x, null, 0, mon);
        assertEquals(15, losses.size());
        System.out.println("conv AE digits pretraining losses " + losses);
        // measured (seed 0): epoch 1 0.229, epoch 15 0.070 (x 0.30); require at least a halving
        assertTrue(losses.get(14) < 0.5 * losses.get(0), "losses " + losses);
        INDArray rec = ae.reconstruct(x);
        double mse = rec.sub(x).norm2Number().doubleValue();
        mse = mse * mse / x.length();
        assertTrue(mse < losses.get(0), "final MSE " + mse + " vs first epoch " + losses.get(0));
    }

    @Test
    void badConfigurationsAreRejectedClearly() {
        AutoencoderConfig cfg = conv(28, 28, 1, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Autoencoder.create(780, cfg, 0));
        assertTrue(e.getMessage().contains("780") && e.getMessage().contains("784") && e.getMessage().contains("imageShape"),
                e.getMessage());
        INDArray x = Nd4j.rand(DataType.FLOAT, 10, 100);
        Pretrainer p = new Pretrainer(cfg, PretrainingConfig.builder().epochs(1).build());
        assertThrows(IllegalArgumentException.class, () -> p.pretrain(x, null, 0, TrainingMonitor.none()));
        assertThrows(IllegalArgumentException.class, () -> AutoencoderConfig.builder().imageShape(28, 28).build());
        assertThrows(IllegalArgumentException.class, () -> AutoencoderConfig.builder().imageShape(28, 0, 1).build());
        assertThrows(IllegalArgumentException.class,
                () -> AutoencoderConfig.builder().imageShape(28, 28, 1).convChannels(32, 64).build());
        assertThrows(IllegalArgumentException.class,
                () -> AutoencoderConfig.builder().imageShape(28, 28, 1).convStride(0).build());
        IllegalArgumentException bn = assertThrows(IllegalArgumentException.class,
                () -> AutoencoderConfig.builder().imageShape(28, 28, 1).batchNorm(true).build());
        assertTrue(bn.getMessage().contains("batch norm"));
        assertThrows(IllegalArgumentException.class, () -> AutoencoderConfig.builder().imageShape(28, 28, 1).dropout(0.2).build());
        INDArray img = Nd4j.rand(DataType.FLOAT, 10, 64);
        AutoencoderConfig small = AutoencoderConfig.builder().imageShape(8, 8, 1).convChannels(2).convKernels(3).embeddingDim(2).build();
        Pretrainer lw = new Pretrainer(small, PretrainingConfig.builder().epochs(1).layerwise(true).layerwiseEpochs(1).build());
        IllegalArgumentException le = assertThrows(IllegalArgumentException.class, () -> lw.pretrain(img, null, 0, TrainingMonitor.none()));
        assertTrue(le.getMessage().contains("layer-wise"));
        Autoencoder ae = Autoencoder.create(64, small, 0);
        assertThrows(IllegalArgumentException.class, () -> ae.encode(Nd4j.rand(DataType.FLOAT, 3, 63)));
    }
}
