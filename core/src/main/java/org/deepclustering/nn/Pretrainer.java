package org.deepclustering.nn;

import org.deepclustering.train.TrainingMonitor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ObjIntConsumer;

/**
 * Autoencoder pretraining: end-to-end mini-batch training on the reconstruction loss (MSE, mean over all elements),
 * optionally preceded by greedy layer-wise stacked denoising pretraining (see {@link PretrainingConfig}).
 * Events: stage "layerwise-1".."layerwise-L" and "pretraining", loss "reconstruction" (mean batch MSE over the epoch,
 * weighted by batch size). Interrupts are checked before every mini-batch.
 */
public final class Pretrainer {
    private static final Logger LOG = LoggerFactory.getLogger(Pretrainer.class);

    private final AutoencoderConfig architecture;
    private final PretrainingConfig config;

    public Pretrainer(AutoencoderConfig architecture, PretrainingConfig config) {
        this.architecture = architecture;
        this.config = config;
    }

    public AutoencoderConfig architecture() { return architecture; }

    public PretrainingConfig config() { return config; }

    /**
     * Pretrains an autoencoder on {@code data} (n x d).
     *
     * @param initialOrNull start from a copy of this model (its architecture wins), or null for a fresh one seeded by seed
     * @return the trained autoencoder (never the same object as {@code initialOrNull})
     */
    public Autoencoder pretrain(INDArray data, Autoencoder initialOrNull, long seed, TrainingMonitor monitor) {
        return pretrain(data, initialOrNull, seed, monitor, null);
    }

    /**
     * As {@link #pretrain(INDArray, Autoencoder, long, TrainingMonitor)}, calling {@code afterEpochOrNull} with the
     * network and the 1-based epoch after every end-to-end epoch (not after layer-wise epochs). The network is the one
     * being trained: the callback must copy or save it, not keep it.
     */
    public Autoencoder pretrain(INDArray data, Autoencoder initialOrNull, long seed, TrainingMonitor monitor,
                                ObjIntConsumer<Autoencoder> afterEpochOrNull) {
        NativeSetup.ensureConfigured();
        if (monitor == null) monitor = TrainingMonitor.none();
        if (data == null || data.rank() != 2 || data.rows() == 0) throw new IllegalArgumentException("data must be a non-empty matrix");
        if (data.rows() > Integer.MAX_VALUE) throw new IllegalArgumentException("too many rows");
        if (initialOrNull != null && initialOrNull.inputDim() != data.columns()) {
            throw new IllegalArgumentException("data has " + data.columns() + " columns, expected " + initialOrNull.inputDim());
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        INDArray x = (data.dataType() == DataType.FLOAT && data.ordering() == 'c' && !data.isView())
                ? data : data.castTo(DataType.FLOAT).dup('c');
        Autoencoder ae = initialOrNull != null ? initialOrNull.copy()
                : Autoencoder.create((int) data.columns(), architecture, rnd.nextLong());
        if (config.layerwiseEpochsRun() > 0) {
            if (ae.isConvolutional()) {
                throw new IllegalArgumentException("layer-wise pretraining is not supported for the convolutional "
                        + "autoencoder (imageShape " + java.util.Arrays.toString(ae.config().getImageShape())
                        + "): set layerwise=false (end-to-end pretraining, as DEKM)");
            }
            layerwise(ae, x, rnd, monitor);
        }
        train(ae, x, config.getEpochs(), "pretraining", rnd, monitor, afterEpochOrNull);
        return ae;
    }

    /** End-to-end training of {@code ae} in place. */
    void train(Autoencoder ae, INDArray x, int epochs, String stage, SplittableRandom rnd, TrainingMonitor monitor,
               ObjIntConsumer<Autoencoder> afterEpochOrNull) {
        int n = (int) x.rows();
        int bs = Math.min(config.getBatchSize(), n);
        AutoencoderTrainer t = new AutoencoderTrainer(ae, config.getOptimizer(), bs, rnd.nextLong());
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int epoch = 0; epoch < epochs; epoch++) {
            if (config.isShuffle()) shuffle(order, rnd);
            double sum = 0;
            for (int from = 0; from < n; from += bs) {
                monitor.checkInterrupted();
                int to = Math.min(n, from + bs);
                ForwardPass f = t.forwardRows(x, order, from, to, true, true);
                double loss = t.backwardAndStep(f, 1.0, null, epoch);
                monitor.checkFinite(stage, epoch + 1, "reconstruction", loss);
                sum += loss * (to - from);
            }
            double mean = sum / n;
            monitor.checkFinite(stage, epoch + 1, "reconstruction", mean);
            if (LOG.isDebugEnabled()) LOG.debug("{} epoch {}/{} reconstruction {}", stage, epoch + 1, epochs, mean);
            monitor.report(stage, epoch + 1, epochs, Map.of("reconstruction", mean), Double.NaN);
            if (afterEpochOrNull != null) afterEpochOrNull.accept(ae, epoch + 1);
        }
    }

    /** Greedy layer-wise denoising pretraining: layer pair i = (encoder layer i, mirrored decoder layer). */
    private void layerwise(Autoencoder ae, INDArray x, SplittableRandom rnd, TrainingMonitor monitor) {
        List<Autoencoder.Layer> layers = ae.layers();
        int numEnc = ae.numEncoderLayers();
        int numLayers = layers.size();
        double c = config.getLayerwiseCorruption();
        INDArray codes = x;
        for (int i = 0; i < numEnc; i++) {
            Autoencoder.Layer enc = layers.get(i);
            Autoencoder.Layer dec = layers.get(numLayers - 1 - i);
            Autoencoder.LayerDef encDef = new Autoencoder.LayerDef(enc.def.in(), enc.def.out(), enc.def.activation(),
                    enc.def.batchNorm(), true);
            Autoencoder.LayerDef decDef = new Autoencoder.LayerDef(dec.def.in(), dec.def.out(), dec.def.activation(),
                    dec.def.batchNorm(), false);
            AutoencoderConfig shallowCfg = ae.config().toBuilder().dropout(c).inputNoise(c).build();
            Autoencoder shallow = new Autoencoder(enc.def.in(), shallowCfg, List.of(encDef, decDef), 1, null, null);
            shallow.initialise(new SplittableRandom(rnd.nextLong()));
            train(shallow, codes, config.getLayerwiseEpochs(), "layerwise-" + (i + 1), rnd, monitor, null);
            copyLayer(shallow.layers().get(0), enc);
            copyLayer(shallow.layers().get(1), dec);
            if (i + 1 < numEnc) {
                INDArray next = shallow.encode(codes);
                codes = next.dup('c');
            }
        }
    }

    private static void copyLayer(Autoencoder.Layer from, Autoencoder.Layer to) {
        to.w.assign(from.w);
        to.b.assign(from.b);
        if (to.def.batchNorm()) {
            to.gamma.assign(from.gamma);
            to.beta.assign(from.beta);
            to.runningMean.assign(from.runningMean);
            to.runningVar.assign(from.runningVar);
        }
    }

    static void shuffle(int[] a, SplittableRandom rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
