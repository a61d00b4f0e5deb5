package org.deepclustering.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The portable training engine behind {@link AutoencoderTrainer}: only ND4J operations on INDArrays (gemm with
 * transposes into preallocated outputs, broadcast row-vector adds, in-place transforms, column sums, an INDArray-op
 * Adam), no native pointers and no Java loops over array memory, so it runs unchanged on ND4J's CUDA backend with all
 * arrays in device memory. It is the default on every non-CPU backend and can be forced on the CPU with
 * {@code -Ddeepclustering.engine=nd4j} (how it is tested). The arithmetic follows {@link NativeCpuEngine} step by step,
 * so both give the same numbers up to the float rounding of reductions (column sums, the loss).
 *
 * <p>Supported: fully connected autoencoders with any activation, batch norm, dropout and masking noise (the masks are
 * drawn on the host from the same {@link SplittableRandom} stream as the CPU engine and copied to the device).
 * Not supported yet: convolutional layers ({@link UnsupportedOperationException} at construction). Not thread-safe.
 */
final class Nd4jEngine implements TrainingEngine {
    private final Autoencoder ae;
    private final List<Autoencoder.Layer> layers;
    private final int numLayers;
    private final int numEnc;
    private final int maxBatch;
    private final int inputDim;
    private final double dropout;
    private final double inputNoise;
    private final double bnEps;
    private final double bnMomentum;
    private final SplittableRandom rnd;
    private final Optimizer optimizer;

    private final INDArray grad;
    private final INDArray[] dW, db, dGamma, dBeta, bnInvStd;
    private final INDArray inClean, inNoisy, noiseMask;
    private final INDArray[] act, gout, xhat, mask, drop, scratch;
    private final Map<Integer, Views> views = new HashMap<>();

    private long serial;
    private ForwardPass last;
    private boolean lastNoise;
    private boolean lastDropout;

    /** Views of the first {@code b} rows of every buffer. */
    private final class Views {
        final INDArray inClean, inNoisy, noiseMask;
        final INDArray[] act, gout, xhat, mask, drop, scratch;

        Views(int b) {
            inClean = rows(Nd4jEngine.this.inClean, b);
            inNoisy = rows(Nd4jEngine.this.inNoisy, b);
            noiseMask = rows(Nd4jEngine.this.noiseMask, b);
            act = rows(Nd4jEngine.this.act, b);
            gout = rows(Nd4jEngine.this.gout, b);
            xhat = rows(Nd4jEngine.this.xhat, b);
            mask = rows(Nd4jEngine.this.mask, b);
            drop = rows(Nd4jEngine.this.drop, b);
            scratch = rows(Nd4jEngine.this.scratch, b);
        }
    }

    private static INDArray rows(INDArray full, int b) {
        if (full == null) return null;
        return b == full.rows() ? full : full.get(NDArrayIndex.interval(0, b), NDArrayIndex.all());
    }

    private static INDArray[] rows(INDArray[] full, int b) {
        INDArray[] r = new INDArray[full.length];
        for (int i = 0; i < full.length; i++) r[i] = rows(full[i], b);
        return r;
    }

    Nd4jEngine(Autoencoder autoencoder, OptimizerConfig optimizerConfig, int maxBatchSize, long seed) {
        if (autoencoder.isConvolutional()) {
            throw Engine.unsupported("the convolutional autoencoder (imageShape "
                    + java.util.Arrays.toString(autoencoder.config().getImageShape()) + ")");
        }
        this.ae = autoencoder;
        this.layers = autoencoder.layers();
        this.numLayers = layers.size();
        this.numEnc = autoencoder.numEncoderLayers();
        this.maxBatch = maxBatchSize;
        this.inputDim = autoencoder.inputDim();
        AutoencoderConfig cfg = autoencoder.config();
        this.dropout = cfg.getDropout();
        this.inputNoise = cfg.getInputNoise();
        this.bnEps = cfg.getBatchNormEps();
        this.bnMomentum = cfg.getBatchNormMomentum();
        this.rnd = new SplittableRandom(seed);
        INDArray params = autoencoder.paramBuffer().flat;
        this.grad = Nd4j.create(DataType.FLOAT, 1, autoencoder.numParams());
        this.optimizer = Optimizer.portable(optimizerConfig, params);

        long b = maxBatchSize;
        inClean = Nd4j.create(DataType.FLOAT, b, inputDim);
        inNoisy = inputNoise > 0 ? Nd4j.create(DataType.FLOAT, b, inputDim) : null;
        noiseMask = inputNoise > 0 ? Nd4j.create(DataType.FLOAT, b, inputDim) : null;
        act = new INDArray[numLayers];
        gout = new INDArray[numLayers];
        xhat = new INDArray[numLayers];
        mask = new INDArray[numLayers];
        drop = new INDArray[numLayers];
        scratch = new INDArray[numLayers];
        dW = new INDArray[numLayers];
        db = new INDArray[numLayers];
        dGamma = new INDArray[numLayers];
        dBeta = new INDArray[numLayers];
        bnInvStd = new INDArray[numLayers];
        for (int l = 0; l < numLayers; l++) {
            Autoencoder.Layer layer = layers.get(l);
            int in = layer.def.in(), out = layer.def.out();
            act[l] = Nd4j.create(DataType.FLOAT, b, out);
            gout[l] = Nd4j.create(DataType.FLOAT, b, out);
            scratch[l] = Nd4j.create(DataType.FLOAT, b, out);
            dW[l] = Ops.view(grad, layer.wOff, in, out);
            db[l] = Ops.view(grad, layer.bOff, 1, out);
            if (layer.def.batchNorm()) {
                xhat[l] = Nd4j.create(DataType.FLOAT, b, out);
                dGamma[l] = Ops.view(grad, layer.gammaOff, 1, out);
                dBeta[l] = Ops.view(grad, layer.betaOff, 1, out);
            }
            if (dropout > 0 && layer.def.hidden()) {
                mask[l] = Nd4j.create(DataType.FLOAT, b, out);
                drop[l] = Nd4j.create(DataType.FLOAT, b, out);
            }
        }
    }

    @Override
    public Autoencoder autoencoder() { return ae; }

    @Override
    public int maxBatchSize() { return maxBatch; }

    @Override
    public int iteration() { return optimizer.iteration(); }

    @Override
    public INDArray gradients() { return grad; }

    private Views views(int b) {
        return views.computeIfAbsent(b, Views::new);
    }

    @Override
    public ForwardPass forward(INDArray xBatch, boolean training, boolean decode) {
        int b = (int) xBatch.rows();
        Views v = views(b);
        v.inClean.assign(xBatch);
        return forwardLoaded(b, v, training, decode);
    }

    @Override
    public ForwardPass forwardRows(INDArray data, int[] rowIndex, int from, int to, boolean training, boolean decode) {
        int b = to - from;
        Views v = views(b);
        int[] idx = new int[b];
        System.arraycopy(rowIndex, from, idx, 0, b);
        if (data.dataType() == DataType.FLOAT && data.ordering() == 'c') {
            Nd4j.pullRows(data, v.inClean, 1, idx); // gather on the backend (device-side on CUDA), no intermediate array
        } else {
            v.inClean.assign(data.getRows(idx));
        }
        return forwardLoaded(b, v, training, decode);
    }

    private ForwardPass forwardLoaded(int b, Views v, boolean training, boolean decode) {
        lastNoise = training && inputNoise > 0;
        lastDropout = training && dropout > 0;
        if (lastNoise) {
            fillMask(v.noiseMask, inputNoise, 1f);
            v.inClean.mul(v.noiseMask, v.inNoisy);
        }
        int upTo = decode ? numLayers : numEnc;
        for (int l = 0; l < upTo; l++) layerForward(l, v, training);
        ForwardPass f = new ForwardPass(b, training, decode, ++serial, outputOf(numEnc - 1, v),
                decode ? v.act[numLayers - 1] : null);
        last = f;
        return f;
    }

    /**
     * Fills the mask (b x w): 0 with probability p, else keep; drawn on the host in row-major order from the same
     * random stream as the CPU engine, then copied to the backend.
     */
    private void fillMask(INDArray dst, double p, float keep) {
        int rowsN = (int) dst.rows(), cols = (int) dst.columns();
        float[] values = new float[rowsN * cols];
        for (int i = 0; i < values.length; i++) values[i] = rnd.nextDouble() < p ? 0f : keep;
        dst.assign(Nd4j.createFromArray(values).reshape(rowsN, cols));
    }

    private boolean dropoutOn(int l) {
        return lastDropout && mask[l] != null;
    }

    private INDArray outputOf(int l, Views v) {
        return dropoutOn(l) ? v.drop[l] : v.act[l];
    }

    private INDArray inputOf(int l, Views v) {
        if (l == 0) return lastNoise ? v.inNoisy : v.inClean;
        return outputOf(l - 1, v);
    }

    /** Z = X W + b, [batch norm], activation, [dropout]. */
    private void layerForward(int l, Views v, boolean training) {
        Autoencoder.Layer layer = layers.get(l);
        INDArray a = v.act[l];
        Nd4j.gemm(inputOf(l, v), layer.w, a, false, false, 1.0, 0.0);
        a.addiRowVector(layer.b);
        if (layer.def.batchNorm()) {
            if (training) bnInvStd[l] = Ops.batchNormTrain(a, v.xhat[l], v.scratch[l], layer, bnEps, bnMomentum);
            else Ops.batchNormInference(a, layer, bnEps);
        }
        Ops.activate(a, layer.def.activation());
        if (dropoutOn(l)) {
            fillMask(v.mask[l], dropout, (float) (1.0 / (1.0 - dropout)));
            a.mul(v.mask[l], v.drop[l]);
        }
    }

    @Override
    public double backward(ForwardPass f, double reconstructionWeight, INDArray embeddingGradient) {
        if (f != last) throw new IllegalStateException("backward needs the result of the latest forward call");
        int b = f.batchSize;
        Views v = views(b);
        double loss = 0;
        if (reconstructionWeight > 0) {
            int lastLayer = numLayers - 1;
            long n = (long) b * inputDim;
            INDArray g = v.gout[lastLayer];
            g.assign(v.act[lastLayer]).subi(v.inClean);                // xhat - x
            double norm = g.norm2Number().doubleValue();
            loss = norm * norm / n;                                      // mean squared error
            g.muli((float) (2.0 * reconstructionWeight / n));           // d(w L_rec)/d xhat
            for (int l = lastLayer; l >= numEnc; l--) layerBackward(l, v);
            if (embeddingGradient != null) v.gout[numEnc - 1].addi(embeddingGradient);
        } else {
            long decStart = layers.get(numEnc).wOff;
            Ops.view(grad, decStart, 1, ae.numParams() - decStart).assign(0);
            if (embeddingGradient != null) v.gout[numEnc - 1].assign(embeddingGradient);
            else v.gout[numEnc - 1].assign(0);
        }
        for (int l = numEnc - 1; l >= 0; l--) layerBackward(l, v);
        return loss;
    }

    /** dZ from dA ([dropout], activation, [batch norm]); db = column sums; dW = X^T dZ; dX = dZ W^T. */
    private void layerBackward(int l, Views v) {
        Autoencoder.Layer layer = layers.get(l);
        INDArray g = v.gout[l];
        if (dropoutOn(l)) g.muli(v.mask[l]);
        Ops.activationBackward(v.act[l], g, layer.def.activation(), v.scratch[l]);
        if (layer.def.batchNorm()) batchNormBackward(l, v, layer);
        db[l].assign(g.sum(true, 0));
        Nd4j.gemm(inputOf(l, v), g, dW[l], true, false, 1.0, 0.0);
        if (l > 0) Nd4j.gemm(g, layer.w, v.gout[l - 1], false, true, 1.0, 0.0);
    }

    private void batchNormBackward(int l, Views v, Autoencoder.Layer layer) {
        INDArray g = v.gout[l];
        INDArray xh = v.xhat[l];
        INDArray s = v.scratch[l];
        dBeta[l].assign(g.sum(true, 0));
        g.mul(xh, s);
        dGamma[l].assign(s.sum(true, 0));
        Ops.batchNormInputGradient(g, xh, s, dGamma[l], dBeta[l], layer.gamma, bnInvStd[l]);
    }

    @Override
    public void step(int epoch) {
        optimizer.step(grad, epoch);
    }
}
