package org.deepclustering.nn;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.deepclustering.train.TrainingDivergedException;
import org.deepclustering.train.TrainingEvent;
import org.deepclustering.train.TrainingInterruptedException;
import org.deepclustering.train.TrainingMonitor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

class AutoencoderTrainingTest {
    static final AutoencoderConfig SMALL = AutoencoderConfig.builder().hiddenWidths(16, 8).embeddingDim(3).build();

    /** Rows near 3 random 20-d prototypes (structured data). */
    static INDArray structured(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] protos = new float[3][20];
        for (float[] p : protos) for (int j = 0; j < 20; j++) p[j] = (float) r.nextDouble();
        float[] v = new float[n * 20];
        for (int i = 0; i < n; i++) {
            float[] p = protos[i % 3];
            for (int j = 0; j < 20; j++) v[i * 20 + j] = p[j] + (float) (0.05 * r.nextGaussian());
        }
        return Nd4j.createFromArray(v).reshape(n, 20);
    }

    static PretrainingConfig quick(int epochs) {
        return PretrainingConfig.builder().epochs(epochs).batchSize(32).optimizer(OptimizerConfig.adam(0.01)).build();
    }

    @Test
    void lossDecreases() {
        List<Double> losses = new ArrayList<>();
        TrainingMonitor mon = TrainingMonitor.of(e -> losses.add(e.losses().get("reconstruction")));
        new Pretrainer(SMALL, quick(15)).pretrain(structured(300, 1), null, 7, mon);
        assertEquals(15, losses.size());
        assertTrue(losses.get(14) < 0.5 * losses.get(0), "losses " + losses);
    }

    @Test
    void variantsTrain() {
        INDArray x = structured(200, 2);
        for (AutoencoderConfig c : List.of(SMALL.toBuilder().batchNorm(true).build(),
                SMALL.toBuilder().dropout(0.2).inputNoise(0.1).activation(Activation.ELU).build())) {
            List<Double> losses = new ArrayList<>();
            Autoencoder ae = new Pretrainer(c, quick(10)).pretrain(x, null, 3, TrainingMonitor.of(e -> losses.add(e.losses().get("reconstruction"))));
            assertTrue(losses.get(9) < losses.get(0), c + " " + losses);
            assertEquals(200, ae.encode(x).rows());
        }
        for (OptimizerConfig o : List.of(OptimizerConfig.sgdMomentum(0.1, 0.9), OptimizerConfig.nesterov(0.05, 0.9),
                OptimizerConfig.adadelta(), OptimizerConfig.sgd(0.5))) {
            List<Double> losses = new ArrayList<>();
            new Pretrainer(SMALL, quick(8).toBuilder().optimizer(o).build()).pretrain(x, null, 3,
                    TrainingMonitor.of(e -> losses.add(e.losses().get("reconstruction"))));
            assertTrue(losses.get(7) < losses.get(0), o + " " + losses);
        }
    }

    @Test
    void layerwisePretraining() {
        List<String> stages = new ArrayList<>();
        PretrainingConfig pc = quick(3).toBuilder().layerwise(true).layerwiseEpochs(2).build();
        new Pretrainer(SMALL, pc).pretrain(structured(100, 3), null, 1, TrainingMonitor.of(e -> stages.add(e.stage())));
        assertEquals(List.of("layerwise-1", "layerwise-1", "layerwise-2", "layerwise-2", "layerwise-3", "layerwise-3",
                "pretraining", "pretraining", "pretraining"), stages);
    }

    @Test
    void writeReadIsBitIdentical() throws Exception {
        INDArray x = structured(50, 4);
        for (AutoencoderConfig c : List.of(SMALL, SMALL.toBuilder().batchNorm(true).activation(Activation.TANH).build())) {
            Autoencoder ae = new Pretrainer(c, quick(2)).pretrain(x, null, 5, null);
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            ae.write(bos);
            Autoencoder back = Autoencoder.read(new ByteArrayInputStream(bos.toByteArray()));
            assertEquals(c, back.config());
            assertEquals(ae.paramsCopy(), back.paramsCopy());
            assertArrayEquals(ae.encode(x).data().asFloat(), back.encode(x).data().asFloat());
            assertArrayEquals(ae.reconstruct(x).data().asFloat(), back.reconstruct(x).data().asFloat());
            assertEquals(ae.encoderLayers().size(), back.encoderLayers().size());
            assertEquals(c.isBatchNorm(), back.encoderLayers().get(0).batchNorm() != null);
        }
    }

    @Test
    void configsAreJsonSerialisable() throws Exception {
        ObjectMapper om = new ObjectMapper();
        AutoencoderConfig a = SMALL.toBuilder().batchNorm(true).dropout(0.1).build();
        assertEquals(a, om.readValue(om.writeValueAsString(a), AutoencoderConfig.class));
        OptimizerConfig o = OptimizerConfig.sgdMomentum(1, 0.9).toBuilder().decayFactor(0.1).decayEveryEpochs(20).build();
        assertEquals(o, om.readValue(om.writeValueAsString(o), OptimizerConfig.class));
        PretrainingConfig p = quick(3).toBuilder().layerwise(true).build();
        assertEquals(p, om.readValue(om.writeValueAsString(p), PretrainingConfig.class));
    }

    @Test
    void sameSeedSameParametersDifferentSeedDifferent() {
        AutoencoderConfig c = SMALL.toBuilder().dropout(0.1).inputNoise(0.1).build();
        assertEquals(Autoencoder.create(20, c, 11).paramsCopy(), Autoencoder.create(20, c, 11).paramsCopy());
        assertNotEquals(Autoencoder.create(20, c, 11).paramsCopy(), Autoencoder.create(20, c, 12).paramsCopy());
        INDArray x = structured(120, 5);
        INDArray a = new Pretrainer(c, quick(2)).pretrain(x, null, 11, null).paramsCopy();
        INDArray b = new Pretrainer(c, quick(2)).pretrain(x, null, 11, null).paramsCopy();
        INDArray d = new Pretrainer(c, quick(2)).pretrain(x, null, 12, null).paramsCopy();
        assertEquals(a, b);
        assertNotEquals(a, d);
    }

    /** The network handed over after epoch 2 of a 3-epoch run is the network a 2-epoch run ends with, not a view of the live one. */
    @Test
    void afterEpochCallbackSeesTheNetworkOfEachTrainingLength() {
        INDArray x = structured(120, 5);
        List<Integer> epochs = new ArrayList<>();
        AtomicReference<INDArray> afterTwo = new AtomicReference<>();
        Autoencoder three = new Pretrainer(SMALL, quick(3)).pretrain(x, null, 11, null, (ae, epoch) -> {
            epochs.add(epoch);
            if (epoch == 2) afterTwo.set(ae.paramsCopy());
        });
        assertEquals(List.of(1, 2, 3), epochs);
        assertEquals(new Pretrainer(SMALL, quick(2)).pretrain(x, null, 11, null).paramsCopy(), afterTwo.get());
        assertNotEquals(three.paramsCopy(), afterTwo.get());
    }

    @Test
    void interruptedBeforeTraining() {
        Thread.currentThread().interrupt();
        try {
            assertThrows(TrainingInterruptedException.class,
                    () -> new Pretrainer(SMALL, quick(5)).pretrain(structured(100, 6), null, 1, null));
            assertTrue(Thread.currentThread().isInterrupted(), "interrupt flag must stay set");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void interruptedWhileTrainingStopsWithinOneBatch() throws Exception {
        AtomicInteger batchesAfterInterrupt = new AtomicInteger(-1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        INDArray x = structured(320, 7); // 10 batches of 32 per epoch
        Thread t = new Thread(() -> {
            try {
                new Pretrainer(SMALL, quick(1000)).pretrain(x, null, 1, TrainingMonitor.of(e -> {
                    if (e.epoch() == 2) Thread.currentThread().interrupt();
                    if (e.epoch() > 2) batchesAfterInterrupt.set(e.epoch());
                }));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        t.join(30_000);
        assertFalse(t.isAlive());
        assertInstanceOf(TrainingInterruptedException.class, thrown.get());
        assertEquals(-1, batchesAfterInterrupt.get(), "no epoch may finish after the interrupt");
    }

    @Test
    void divergenceNamesTheEpoch() {
        INDArray x = structured(100, 8).muli(1e3);
        PretrainingConfig pc = quick(50).toBuilder().optimizer(OptimizerConfig.sgd(1e6)).build();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> new Pretrainer(SMALL, pc).pretrain(x, null, 1, null));
        assertTrue(e.getMessage().contains("epoch " + e.epoch()), e.getMessage());
        assertTrue(e.getMessage().contains("pretraining"), e.getMessage());
        assertTrue(e.getMessage().contains("smaller learning rate"), e.getMessage());
    }

    @Test
    void wrongInputWidthIsRejected() {
        Autoencoder ae = Autoencoder.create(20, SMALL, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ae.encode(Nd4j.create(DataType.FLOAT, 4, 19)));
        assertTrue(e.getMessage().contains("19") && e.getMessage().contains("20"), e.getMessage());
        AutoencoderTrainer t = new AutoencoderTrainer(ae, OptimizerConfig.adam(), 8, 1);
        assertThrows(IllegalArgumentException.class, () -> t.forward(Nd4j.create(DataType.FLOAT, 4, 21), true));
        assertThrows(IllegalArgumentException.class, () -> t.forward(Nd4j.create(DataType.FLOAT, 9, 20), true));
    }

    @Test
    void encoderOnlyBackwardAndSmallerLastBatch() {
        Autoencoder ae = Autoencoder.create(20, SMALL, 1);
        INDArray before = ae.paramsCopy();
        AutoencoderTrainer t = new AutoencoderTrainer(ae, OptimizerConfig.sgd(0.1), 16, 1);
        INDArray x = structured(5, 9);
        ForwardPass f = t.forward(x, true, false);
        assertNull(f.reconstruction());
        assertEquals(5, f.embedding().rows());
        assertThrows(IllegalStateException.class, () -> t.backward(f, 1.0, null));
        assertEquals(0.0, t.backward(f, 0.0, Nd4j.ones(DataType.FLOAT, 5, 3)));
        t.step(0);
        INDArray delta = ae.paramsCopy().sub(before);
        Autoencoder.Layer dec0 = ae.layers().get(ae.numEncoderLayers());
        long encEnd = dec0.wOff;
        assertTrue(delta.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, encEnd)).amaxNumber().doubleValue() > 0);
        assertEquals(0.0, delta.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(encEnd, ae.numParams())).amaxNumber().doubleValue());
        // the inference path and the trainer agree
        ForwardPass g = t.forward(x, false);
        assertArrayEquals(ae.reconstruct(x).data().asFloat(), g.reconstruction().dup().data().asFloat(), 1e-6f);
    }

    @Test
    void parameterViewsShareTheFlatVector() {
        Autoencoder ae = Autoencoder.create(20, SMALL, 1);
        Autoencoder.Layer l = ae.layers().get(1);
        l.w.putScalar(2, 3, 42f);
        assertEquals(42f, ae.paramBuffer().flat.getFloat(l.wOff + 2L * l.def.out() + 3));
        assertEquals(42f, ae.encoderLayers().get(1).weight().getFloat(2, 3));
        assertEquals(ae.copy().paramsCopy(), ae.paramsCopy());
        TrainingEvent e = new TrainingEvent("x", 1, 2, java.util.Map.of(), Double.NaN, 0);
        assertEquals("x", e.stage());
    }
}
