package org.deepclustering.nn;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The fast CPU training engine behind {@link AutoencoderTrainer} (the default on ND4J's CPU backend): matrix products
 * call OpenBLAS {@code cblas_sgemm} directly on the host pointers of engine-owned buffers, element-wise work uses fused
 * Java kernels ({@link Kernels}, {@link FusedAdam}) or in-place ND4J ops. Every buffer is allocated once for
 * {@code maxBatchSize} rows (smaller batches use views of the first rows). Supports dense, convolutional and
 * transposed-convolutional layers, batch norm, dropout and masking noise. Only valid on the CPU backend (host memory).
 * See {@link AutoencoderTrainer} for the loss and the contract. Not thread-safe.
 */
final class NativeCpuEngine implements TrainingEngine {
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

    private final Blas.Buffer params;
    private final Blas.Buffer grad;
    private final Blas.Buffer inClean, inNoisy, noiseMask, ones;
    private final Blas.Buffer[] act, gout, xhat, mask, drop, scratch;
    private final FloatPointer[] actP, goutP, dropP, wP, bP, dWP, dbP, dGammaP, dBetaP;
    private final FloatPointer inCleanP, inNoisyP, onesP;
    private final INDArray[] dGamma, dBeta, bnInvStd;
    private final float[] maskScratch;
    /** Convolutional layers: their im2col matrices (kept for backward); one shared column scratch for the rest. */
    private final Blas.Buffer[] cols;
    private final FloatPointer[] colsP;
    private final Blas.Buffer colScratch;
    private final FloatPointer colScratchP;
    private final Map<Integer, Views> views = new HashMap<>();
    /** Layer l's parameters (weights, bias, batch-norm scale and shift) are the range [layerStart[l], layerEnd[l]). */
    private final long[] layerStart, layerEnd;

    private long serial;
    private ForwardPass last;
    private boolean lastNoise;
    private boolean lastDropout;

    /** Views of the first {@code b} rows of every buffer. */
    private final class Views {
        final INDArray inClean, inNoisy, noiseMask;
        final INDArray[] act, gout, xhat, mask, drop, scratch;

        Views(int b) {
            inClean = NativeCpuEngine.this.inClean.view(0, b, inputDim);
            inNoisy = NativeCpuEngine.this.inNoisy == null ? null : NativeCpuEngine.this.inNoisy.view(0, b, inputDim);
            noiseMask = NativeCpuEngine.this.noiseMask == null ? null : NativeCpuEngine.this.noiseMask.view(0, b, inputDim);
            act = new INDArray[numLayers];
            gout = new INDArray[numLayers];
            xhat = new INDArray[numLayers];
            mask = new INDArray[numLayers];
            drop = new INDArray[numLayers];
            scratch = new INDArray[numLayers];
            for (int l = 0; l < numLayers; l++) {
                int out = layers.get(l).def.out();
                act[l] = NativeCpuEngine.this.act[l].view(0, b, out);
                gout[l] = NativeCpuEngine.this.gout[l].view(0, b, out);
                scratch[l] = NativeCpuEngine.this.scratch[l].view(0, b, out);
                if (NativeCpuEngine.this.xhat[l] != null) xhat[l] = NativeCpuEngine.this.xhat[l].view(0, b, out);
                if (NativeCpuEngine.this.mask[l] != null) {
                    mask[l] = NativeCpuEngine.this.mask[l].view(0, b, out);
                    drop[l] = NativeCpuEngine.this.drop[l].view(0, b, out);
                }
            }
        }
    }

    /**
     * @param autoencoder  trained in place
     * @param optimizer    optimizer settings
     * @param maxBatchSize largest batch passed to {@link #forward}
     * @param seed         seed of the dropout / masking-noise random source
     */
    NativeCpuEngine(Autoencoder autoencoder, OptimizerConfig optimizer, int maxBatchSize, long seed) {
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
        this.params = autoencoder.paramBuffer();
        this.grad = new Blas.Buffer(autoencoder.numParams());
        this.optimizer = new Optimizer(optimizer, params.flat, params, grad);

        long b = maxBatchSize;
        inClean = new Blas.Buffer(b * inputDim);
        inNoisy = inputNoise > 0 ? new Blas.Buffer(b * inputDim) : null;
        noiseMask = inputNoise > 0 ? new Blas.Buffer(b * inputDim) : null;
        long maxRows = b; // rows of a bias add: batch, or batch * pixels for a convolution
        long maxColScratch = 0;
        for (Autoencoder.Layer layer : layers) {
            if (layer.def.kind() == Autoencoder.Kind.DENSE) continue;
            ConvGeometry g = layer.def.conv();
            maxRows = Math.max(maxRows, b * Math.max(g.imagePixels(), g.gridPixels()));
            maxColScratch = Math.max(maxColScratch, b * g.gridPixels() * g.colWidth());
        }
        ones = new Blas.Buffer(maxRows);
        ones.flat.assign(1);
        inCleanP = inClean.ptr(0);
        inNoisyP = inNoisy == null ? null : inNoisy.ptr(0);
        onesP = ones.ptr(0);
        act = new Blas.Buffer[numLayers];
        gout = new Blas.Buffer[numLayers];
        xhat = new Blas.Buffer[numLayers];
        mask = new Blas.Buffer[numLayers];
        drop = new Blas.Buffer[numLayers];
        scratch = new Blas.Buffer[numLayers];
        actP = new FloatPointer[numLayers];
        goutP = new FloatPointer[numLayers];
        dropP = new FloatPointer[numLayers];
        wP = new FloatPointer[numLayers];
        bP = new FloatPointer[numLayers];
        dWP = new FloatPointer[numLayers];
        dbP = new FloatPointer[numLayers];
        dGammaP = new FloatPointer[numLayers];
        dBetaP = new FloatPointer[numLayers];
        dGamma = new INDArray[numLayers];
        dBeta = new INDArray[numLayers];
        bnInvStd = new INDArray[numLayers];
        int maxWidth = inputDim;
        for (int l = 0; l < numLayers; l++) {
            Autoencoder.Layer layer = layers.get(l);
            int out = layer.def.out();
            maxWidth = Math.max(maxWidth, out);
            act[l] = new Blas.Buffer(b * out);
            gout[l] = new Blas.Buffer(b * out);
            scratch[l] = new Blas.Buffer(b * out);
            actP[l] = act[l].ptr(0);
            goutP[l] = gout[l].ptr(0);
            wP[l] = params.ptr(layer.wOff);
            bP[l] = params.ptr(layer.bOff);
            dWP[l] = grad.ptr(layer.wOff);
            dbP[l] = grad.ptr(layer.bOff);
            if (layer.def.batchNorm()) {
                xhat[l] = new Blas.Buffer(b * out);
                dGammaP[l] = grad.ptr(layer.gammaOff);
                dBetaP[l] = grad.ptr(layer.betaOff);
                dGamma[l] = grad.view(layer.gammaOff, 1, out);
                dBeta[l] = grad.view(layer.betaOff, 1, out);
            }
            if (dropout > 0 && layer.def.hidden()) {
                mask[l] = new Blas.Buffer(b * out);
                drop[l] = new Blas.Buffer(b * out);
                dropP[l] = drop[l].ptr(0);
            }
        }
        maskScratch = (dropout > 0 || inputNoise > 0) ? new float[(int) (b * maxWidth)] : null;
        cols = new Blas.Buffer[numLayers];
        colsP = new FloatPointer[numLayers];
        for (int l = 0; l < numLayers; l++) {
            Autoencoder.Layer layer = layers.get(l);
            if (layer.def.kind() == Autoencoder.Kind.CONV) {
                ConvGeometry g = layer.def.conv();
                cols[l] = new Blas.Buffer(b * g.gridPixels() * g.colWidth());
                colsP[l] = cols[l].ptr(0);
            }
        }
        colScratch = maxColScratch > 0 ? new Blas.Buffer(maxColScratch) : null;
        colScratchP = colScratch == null ? null : colScratch.ptr(0);
        layerStart = new long[numLayers];
        layerEnd = new long[numLayers];
        for (int l = 0; l < numLayers; l++) {
            layerStart[l] = layers.get(l).wOff;
            layerEnd[l] = l + 1 < numLayers ? layers.get(l + 1).wOff : autoencoder.numParams();
        }
    }

    @Override
    public Autoencoder autoencoder() { return ae; }

    @Override
    public int maxBatchSize() { return maxBatch; }

    /** Number of optimizer steps taken so far. */
    @Override
    public int iteration() { return optimizer.iteration(); }

    /** The live flat gradient vector (1 x numParams, same layout as the parameters), filled by {@link #backward}. */
    @Override
    public INDArray gradients() { return grad.flat; }

    private Views views(int b) {
        return views.computeIfAbsent(b, Views::new);
    }

    /** Full forward pass (encoder and decoder). See {@link #forward(INDArray, boolean, boolean)}. */
    public ForwardPass forward(INDArray xBatch, boolean training) {
        return forward(xBatch, training, true);
    }

    /**
     * Forward pass of one batch. {@code training}: dropout, masking noise and batch statistics (BN running averages are
     * updated); otherwise inference mode. {@code decode=false} runs only the encoder (then backward must use
     * reconstruction weight 0). The input is copied into the trainer's buffer.
     */
    @Override
    public ForwardPass forward(INDArray xBatch, boolean training, boolean decode) {
        checkBatch(xBatch);
        int b = (int) xBatch.rows();
        Views v = views(b);
        v.inClean.assign(xBatch);
        return forwardLoaded(b, v, training, decode);
    }

    /**
     * Forward pass of the rows {@code rowIndex[from..to)} of {@code data} (n x inputDim), gathered into the input
     * buffer without intermediate arrays when {@code data} is a c-ordered float32 array.
     */
    @Override
    public ForwardPass forwardRows(INDArray data, int[] rowIndex, int from, int to, boolean training, boolean decode) {
        if (data.columns() != inputDim) {
            throw new IllegalArgumentException("input has " + data.columns() + " columns, expected " + inputDim);
        }
        int b = to - from;
        if (b <= 0 || b > maxBatch) throw new IllegalArgumentException("batch size " + b + " not in 1.." + maxBatch);
        Views v = views(b);
        if (data.dataType() == DataType.FLOAT && data.ordering() == 'c' && !data.isView() && data.rank() == 2) {
            long n = data.rows();
            FloatPointer src = new FloatPointer(data.data().addressPointer());
            FloatPointer dst = new FloatPointer(inCleanP);
            long base = src.position();
            for (int i = 0; i < b; i++) {
                int row = rowIndex[from + i];
                if (row < 0 || row >= n) throw new IndexOutOfBoundsException("row " + row + " of " + n);
                long start = base + (long) row * inputDim;
                src.position(start).limit(start + inputDim);
                dst.position((long) i * inputDim).put(src); // Pointer.put copies (limit - position) floats
            }
        } else {
            int[] rows = new int[b];
            System.arraycopy(rowIndex, from, rows, 0, b);
            v.inClean.assign(data.getRows(rows));
        }
        return forwardLoaded(b, v, training, decode);
    }

    private void checkBatch(INDArray x) {
        if (x == null || x.rank() != 2) throw new IllegalArgumentException("batch must be a matrix");
        if (x.columns() != inputDim) {
            throw new IllegalArgumentException("input has " + x.columns() + " columns, expected " + inputDim);
        }
        if (x.rows() <= 0 || x.rows() > maxBatch) {
            throw new IllegalArgumentException("batch size " + x.rows() + " not in 1.." + maxBatch);
        }
    }

    private ForwardPass forwardLoaded(int b, Views v, boolean training, boolean decode) {
        lastNoise = training && inputNoise > 0;
        lastDropout = training && dropout > 0;
        if (lastNoise) {
            fillMask(noiseMask.ptr(0), (long) b * inputDim, inputNoise, 1f);
            v.inClean.mul(v.noiseMask, v.inNoisy);
        }
        int upTo = decode ? numLayers : numEnc;
        for (int l = 0; l < upTo; l++) {
            layerForward(l, b, v, training);
        }
        ForwardPass f = new ForwardPass(b, training, decode, ++serial, outputOf(numEnc - 1, v),
                decode ? v.act[numLayers - 1] : null);
        last = f;
        return f;
    }

    /** Fills n mask values: 0 with probability p, else keep. */
    private void fillMask(FloatPointer dst, long n, double p, float keep) {
        for (long off = 0; off < n; off += maskScratch.length) {
            int len = (int) Math.min(maskScratch.length, n - off);
            for (int i = 0; i < len; i++) maskScratch[i] = rnd.nextDouble() < p ? 0f : keep;
            dst.position(off).put(maskScratch, 0, len);
        }
        dst.position(0);
    }

    private boolean dropoutOn(int l) {
        return lastDropout && mask[l] != null;
    }

    private INDArray outputOf(int l, Views v) {
        return dropoutOn(l) ? v.drop[l] : v.act[l];
    }

    private FloatPointer inputPtr(int l) {
        if (l == 0) return lastNoise ? inNoisyP : inCleanP;
        return dropoutOn(l - 1) ? dropP[l - 1] : actP[l - 1];
    }

    private void layerForward(int l, int b, Views v, boolean training) {
        Autoencoder.Layer layer = layers.get(l);
        if (layer.def.kind() != Autoencoder.Kind.DENSE) {
            convLayerForward(l, b, v, layer);
            return;
        }
        int in = layer.def.in(), out = layer.def.out();
        Blas.gemm(false, false, b, out, in, inputPtr(l), in, wP[l], out, 0f, actP[l], out);
        INDArray a = v.act[l];
        Activation act = layer.def.activation();
        if (!layer.def.batchNorm() && Kernels.fuses(act)) {
            Kernels.biasActivate(actP[l], bP[l], b, out, act); // fused bias add + activation
        } else {
            Blas.addRowVector(b, out, onesP, bP[l], actP[l]);
            if (layer.def.batchNorm()) {
                if (training) {
                    bnInvStd[l] = Ops.batchNormTrain(a, v.xhat[l], v.scratch[l], layer, bnEps, bnMomentum);
                } else {
                    Ops.batchNormInference(a, layer, bnEps);
                }
            }
            Ops.activate(a, act);
        }
        if (dropoutOn(l)) {
            fillMask(mask[l].ptr(0), (long) b * out, dropout, (float) (1.0 / (1.0 - dropout)));
            a.mul(v.mask[l], v.drop[l]);
        }
    }

    /** Convolution or transposed convolution, then bias and activation per output channel (no batch norm/dropout). */
    private void convLayerForward(int l, int b, Views v, Autoencoder.Layer layer) {
        ConvGeometry g = layer.def.conv();
        int channels = layer.def.biasLength();
        int rows = b * (layer.def.out() / channels);
        if (layer.def.kind() == Autoencoder.Kind.CONV) {
            ConvOps.convForward(g, b, inputPtr(l), colsP[l], wP[l], actP[l]);
        } else {
            ConvOps.deconvForward(g, b, inputPtr(l), colScratchP, wP[l], actP[l]);
        }
        Activation act = layer.def.activation();
        if (Kernels.fuses(act)) {
            Kernels.biasActivate(actP[l], bP[l], rows, channels, act);
        } else {
            Blas.addRowVector(rows, channels, onesP, bP[l], actP[l]);
            Ops.activate(v.act[l], act);
        }
    }

    /**
     * Backward pass for the last {@link #forward}: fills the gradient vector (overwriting it) with the gradient of
     * {@code reconstructionWeight * L_rec + L_ext} (see the class comment).
     *
     * @param f                    the result of the latest forward call (training mode when batch norm is used)
     * @param reconstructionWeight weight of the reconstruction loss; 0: the decoder is not run and its gradients are 0
     * @param embeddingGradient    dL_ext/dZ (batch x embeddingDim), or null
     * @return the (unweighted) reconstruction loss L_rec of the batch, or 0 when {@code reconstructionWeight == 0}
     */
    @Override
    public double backward(ForwardPass f, double reconstructionWeight, INDArray embeddingGradient) {
        return backward(f, reconstructionWeight, embeddingGradient, -1);
    }

    /**
     * Backward and optimizer step in one pass when the optimizer allows it (Adam): each layer's parameters are updated as
     * soon as its backward pass no longer needs its weights (after dX), while weights and gradient are still in the
     * cache, instead of in a separate pass over all parameters. The same numbers as {@link #backward} then {@link #step}.
     * When the reconstruction loss is not finite nothing is updated.
     */
    @Override
    public double backwardAndStep(ForwardPass f, double reconstructionWeight, INDArray embeddingGradient, int epoch) {
        if (!optimizer.stepsByRange()) return TrainingEngine.super.backwardAndStep(f, reconstructionWeight, embeddingGradient, epoch);
        return backward(f, reconstructionWeight, embeddingGradient, epoch);
    }

    /** {@code stepEpoch >= 0}: also the optimizer step, layer by layer (see {@link #backwardAndStep}). */
    private double backward(ForwardPass f, double reconstructionWeight, INDArray embeddingGradient, int stepEpoch) {
        // the arguments are validated by AutoencoderTrainer (see TrainingEngine)
        if (f != last) throw new IllegalStateException("backward needs the result of the latest forward call");
        int b = f.batchSize;
        Views v = views(b);
        double loss = 0;
        if (reconstructionWeight > 0) {
            int last = numLayers - 1;
            long n = (long) b * inputDim;
            loss = Kernels.squaredErrorGradient(actP[last], inCleanP, goutP[last], n, (float) (2.0 * reconstructionWeight / n)) / n;
            if (!Double.isFinite(loss)) stepEpoch = -1; // diverged: leave the parameters as they are
            for (int l = last; l >= numEnc; l--) {
                layerBackward(l, b, v);
                if (stepEpoch >= 0) optimizer.stepRange(stepEpoch, layerStart[l], layerEnd[l]);
            }
            if (embeddingGradient != null) v.gout[numEnc - 1].addi(embeddingGradient);
        } else {
            long decStart = layers.get(numEnc).wOff;
            grad.view(decStart, 1, ae.numParams() - decStart).assign(0);
            if (stepEpoch >= 0) optimizer.stepRange(stepEpoch, decStart, ae.numParams()); // Adam moves them by momentum
            if (embeddingGradient != null) v.gout[numEnc - 1].assign(embeddingGradient);
            else v.gout[numEnc - 1].assign(0);
        }
        for (int l = numEnc - 1; l >= 0; l--) {
            layerBackward(l, b, v);
            if (stepEpoch >= 0) optimizer.stepRange(stepEpoch, layerStart[l], layerEnd[l]);
        }
        if (stepEpoch >= 0) optimizer.endStep();
        return loss;
    }

    private void layerBackward(int l, int b, Views v) {
        Autoencoder.Layer layer = layers.get(l);
        int in = layer.def.in(), out = layer.def.out();
        INDArray g = v.gout[l];
        if (dropoutOn(l)) g.muli(v.mask[l]);
        Activation act = layer.def.activation();
        if (act == Activation.RELU || act == Activation.LEAKY_RELU) {
            Kernels.reluBackward(actP[l], goutP[l], (long) b * out, act == Activation.RELU ? 0f : (float) Activation.LEAKY_SLOPE);
        } else {
            Ops.activationBackward(v.act[l], g, act, v.scratch[l]);
        }
        if (layer.def.kind() != Autoencoder.Kind.DENSE) {
            int channels = layer.def.biasLength();
            Blas.columnSums(b * (out / channels), channels, goutP[l], onesP, dbP[l]);
            FloatPointer dx = l > 0 ? goutP[l - 1] : null;
            if (layer.def.kind() == Autoencoder.Kind.CONV) {
                ConvOps.convBackward(layer.def.conv(), b, colsP[l], wP[l], goutP[l], dWP[l], colScratchP, dx);
            } else {
                ConvOps.deconvBackward(layer.def.conv(), b, inputPtr(l), wP[l], goutP[l], dWP[l], colScratchP, dx);
            }
            return;
        }
        if (layer.def.batchNorm()) batchNormBackward(l, b, v, layer);
        Blas.columnSums(b, out, goutP[l], onesP, dbP[l]);
        Blas.gemm(true, false, in, out, b, inputPtr(l), in, goutP[l], out, 0f, dWP[l], out);
        if (l > 0) Blas.gemm(false, true, b, in, out, goutP[l], out, wP[l], out, 0f, goutP[l - 1], in);
    }

    private void batchNormBackward(int l, int b, Views v, Autoencoder.Layer layer) {
        int out = layer.def.out();
        INDArray g = v.gout[l];
        INDArray xh = v.xhat[l];
        INDArray s = v.scratch[l];
        Blas.columnSums(b, out, goutP[l], onesP, dBetaP[l]);
        g.mul(xh, s);
        Blas.columnSums(b, out, scratch[l].ptr(0), onesP, dGammaP[l]);
        Ops.batchNormInputGradient(g, xh, s, dGamma[l], dBeta[l], layer.gamma, bnInvStd[l]);
    }

    /** Optimizer update of all parameters from the gradient vector (which it consumes); {@code epoch} is 0-based. */
    @Override
    public void step(int epoch) {
        optimizer.step(grad.flat, epoch);
    }
}
