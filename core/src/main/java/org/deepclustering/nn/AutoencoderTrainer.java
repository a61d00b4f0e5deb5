package org.deepclustering.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.SplittableRandom;

/**
 * Hand-written mini-batch training of an {@link Autoencoder} on ND4J, used by pretraining and by the clustering
 * algorithms (which add their own loss terms through the embedding gradient). The autoencoder is updated in place.
 *
 * <p>One step: {@link #forward} a batch, {@link #backward} with a reconstruction weight and/or an embedding gradient,
 * then {@link #step} (or both at once: {@link #backwardAndStep}). Every buffer is allocated once for
 * {@code maxBatchSize} rows (smaller batches use views of the first rows). Dropout and masking noise are drawn from a {@link SplittableRandom} seeded by {@code seed}.
 *
 * <p>Engine: chosen once per trainer by {@link Engine#selected()}: on ND4J's CPU backend the fast engine (OpenBLAS
 * {@code cblas_sgemm} on host pointers, fused Java kernels); on other backends (CUDA), or with
 * {@code -Ddeepclustering.engine=nd4j}, the portable engine that uses ND4J operations only. Both compute the same
 * numbers (up to float rounding of reductions); the portable one does not support convolutional layers yet.
 *
 * <p>Loss: the reconstruction loss is the mean squared error averaged over all elements of the batch, as PyTorch's
 * {@code nn.MSELoss()}: {@code L_rec = sum_ij (xhat_ij - x_ij)^2 / (B d)}. The total loss whose gradient
 * {@code backward} computes is {@code reconstructionWeight * L_rec + L_ext}, where {@code dL_ext/dZ} is the given
 * embedding gradient (B x k; the caller includes any 1/B averaging in it). Training-mode batch norm uses the batch
 * statistics (biased variance) and updates running statistics with the unbiased variance, as PyTorch.
 * Not thread-safe.
 */
public final class AutoencoderTrainer {
    private final TrainingEngine engine;
    private final Engine.Kind kind;

    /**
     * @param autoencoder  trained in place
     * @param optimizer    optimizer settings
     * @param maxBatchSize largest batch passed to {@link #forward}
     * @param seed         seed of the dropout / masking-noise random source
     */
    public AutoencoderTrainer(Autoencoder autoencoder, OptimizerConfig optimizer, int maxBatchSize, long seed) {
        this(autoencoder, optimizer, maxBatchSize, seed, Engine.selected());
    }

    /** With an explicit engine (tests compare the two engines in one JVM). */
    AutoencoderTrainer(Autoencoder autoencoder, OptimizerConfig optimizer, int maxBatchSize, long seed, Engine.Kind kind) {
        NativeSetup.ensureConfigured();
        if (autoencoder == null) throw new IllegalArgumentException("autoencoder is null");
        if (optimizer == null) throw new IllegalArgumentException("optimizer configuration is null");
        if (maxBatchSize <= 0) throw new IllegalArgumentException("maxBatchSize must be positive: " + maxBatchSize);
        this.kind = kind;
        this.engine = switch (kind) {
            case NATIVE -> new NativeCpuEngine(autoencoder, optimizer, maxBatchSize, seed);
            case ND4J -> new Nd4jEngine(autoencoder, optimizer, maxBatchSize, seed);
        };
    }

    /** The engine this trainer uses. */
    public Engine.Kind engine() { return kind; }

    public Autoencoder autoencoder() { return engine.autoencoder(); }

    public int maxBatchSize() { return engine.maxBatchSize(); }

    /** Number of optimizer steps taken so far. */
    public int iteration() { return engine.iteration(); }

    /** The live flat gradient vector (1 x numParams, same layout as the parameters), filled by {@link #backward}. */
    public INDArray gradients() { return engine.gradients(); }

    /** Full forward pass (encoder and decoder). See {@link #forward(INDArray, boolean, boolean)}. */
    public ForwardPass forward(INDArray xBatch, boolean training) {
        return forward(xBatch, training, true);
    }

    /**
     * Forward pass of one batch. {@code training}: dropout, masking noise and batch statistics (BN running averages are
     * updated); otherwise inference mode. {@code decode=false} runs only the encoder (then backward must use
     * reconstruction weight 0). The input is copied into the trainer's buffer.
     */
    public ForwardPass forward(INDArray xBatch, boolean training, boolean decode) {
        Autoencoder ae = engine.autoencoder();
        if (xBatch == null || xBatch.rank() != 2) throw new IllegalArgumentException("batch must be a matrix");
        if (xBatch.columns() != ae.inputDim()) {
            throw new IllegalArgumentException("input has " + xBatch.columns() + " columns, expected " + ae.inputDim());
        }
        if (xBatch.rows() <= 0 || xBatch.rows() > engine.maxBatchSize()) {
            throw new IllegalArgumentException("batch size " + xBatch.rows() + " not in 1.." + engine.maxBatchSize());
        }
        return engine.forward(xBatch, training, decode);
    }

    /**
     * Forward pass of the rows {@code rowIndex[from..to)} of {@code data} (n x inputDim), gathered into the input
     * buffer without intermediate arrays when {@code data} is a c-ordered float32 array.
     */
    public ForwardPass forwardRows(INDArray data, int[] rowIndex, int from, int to, boolean training, boolean decode) {
        int inputDim = engine.autoencoder().inputDim();
        if (data == null || data.rank() != 2) throw new IllegalArgumentException("data must be a matrix");
        if (data.columns() != inputDim) {
            throw new IllegalArgumentException("input has " + data.columns() + " columns, expected " + inputDim);
        }
        int b = to - from;
        if (b <= 0 || b > engine.maxBatchSize()) {
            throw new IllegalArgumentException("batch size " + b + " not in 1.." + engine.maxBatchSize());
        }
        long n = data.rows();
        for (int i = from; i < to; i++) {
            if (rowIndex[i] < 0 || rowIndex[i] >= n) throw new IndexOutOfBoundsException("row " + rowIndex[i] + " of " + n);
        }
        return engine.forwardRows(data, rowIndex, from, to, training, decode);
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
    public double backward(ForwardPass f, double reconstructionWeight, INDArray embeddingGradient) {
        checkBackward(f, reconstructionWeight, embeddingGradient);
        return engine.backward(f, reconstructionWeight, embeddingGradient);
    }

    /**
     * {@link #backward} then {@link #step}, fused where the engine can (the CPU engine with Adam updates each layer as
     * soon as its gradient is complete, while it is still in the cache): the same result to the bit. When the returned
     * reconstruction loss is not finite, no parameter is updated. Callers that change {@link #gradients()} between
     * backward and step use the two calls instead.
     */
    public double backwardAndStep(ForwardPass f, double reconstructionWeight, INDArray embeddingGradient, int epoch) {
        checkBackward(f, reconstructionWeight, embeddingGradient);
        return engine.backwardAndStep(f, reconstructionWeight, embeddingGradient, epoch);
    }

    private void checkBackward(ForwardPass f, double reconstructionWeight, INDArray embeddingGradient) {
        Autoencoder ae = engine.autoencoder();
        if (f == null) throw new IllegalStateException("backward needs the result of the latest forward call");
        if (reconstructionWeight < 0 || Double.isNaN(reconstructionWeight)) {
            throw new IllegalArgumentException("reconstructionWeight must be >= 0: " + reconstructionWeight);
        }
        if (reconstructionWeight > 0 && !f.decoded) {
            throw new IllegalStateException("reconstructionWeight > 0 needs a forward pass with decode=true");
        }
        int b = f.batchSize;
        int k = ae.embeddingDim();
        if (embeddingGradient != null && (embeddingGradient.rank() != 2 || embeddingGradient.rows() != b
                || embeddingGradient.columns() != k)) {
            throw new IllegalArgumentException("embedding gradient must be " + b + " x " + k + ", got "
                    + java.util.Arrays.toString(embeddingGradient.shape()));
        }
        if (ae.config().isBatchNorm() && !f.training) {
            throw new IllegalStateException("backward with batch norm needs a training-mode forward pass");
        }
    }

    /** Optimizer update of all parameters from the gradient vector (which it consumes); {@code epoch} is 0-based. */
    public void step(int epoch) {
        engine.step(epoch);
    }
}
