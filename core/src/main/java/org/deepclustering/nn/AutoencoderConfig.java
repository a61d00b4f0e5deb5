package org.deepclustering.nn;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Arrays;

/**
 * Architecture of a symmetric autoencoder: input - hidden... - embedding - mirrored hidden... - input.
 * Hidden layers use {@link #getActivation()}; the embedding and output layers are linear. Weights are uniform
 * ({@link #getWeightInit()}, default Glorot), biases zero. Defaults are those of DEC/IDEC: hidden widths
 * {500, 500, 2000}, embedding 10, ReLU, no batch norm, no dropout, no input noise. Immutable; Jackson-serialisable.
 *
 * <p><b>Convolutional autoencoder</b> (DEKM's): when {@link #getImageShape()} {h, w, c} is set, every input row is an
 * image stored channels-last (HWC: value (y, x, ch) at column {@code (y * w + x) * c + ch}; for one channel this is the
 * plain row-major pixel order), and the encoder is {@code convChannels.length} strided convolutions
 * ({@code convChannels}, {@code convKernels}, stride {@code convStride}, "same"-style padding, see
 * {@link ConvGeometry}) with the hidden activation, then flatten, the optional dense {@code hiddenWidths} (default none
 * in this mode) and the linear embedding. The decoder mirrors it: dense layers, a dense layer to the last
 * convolution's grid with the activation, reshape, transposed convolutions back to the image size (activation inside,
 * linear output). Batch norm and dropout are not supported on this architecture.
 */
public final class AutoencoderConfig {
    private final int[] hiddenWidths;
    /** As given (null: the mode's default), so that toBuilder().imageShape(...) switches the default too. */
    private final int[] hiddenWidthsGiven;
    private final int embeddingDim;
    private final Activation activation;
    private final boolean batchNorm;
    private final double batchNormEps;
    private final double batchNormMomentum;
    private final double dropout;
    private final double inputNoise;
    private final int[] imageShape;
    private final int[] convChannels;
    private final int[] convKernels;
    private final int convStride;
    private final WeightInit weightInit;

    /** Dense-autoencoder constructor (no image shape), kept for source compatibility. */
    public AutoencoderConfig(int[] hiddenWidths, int embeddingDim, Activation activation, boolean batchNorm,
                             Double batchNormEps, Double batchNormMomentum, double dropout, double inputNoise) {
        this(hiddenWidths, embeddingDim, activation, batchNorm, batchNormEps, batchNormMomentum, dropout, inputNoise,
                null, null, null, null, null);
    }

    @JsonCreator
    public AutoencoderConfig(@JsonProperty("hiddenWidths") int[] hiddenWidths,
                             @JsonProperty("embeddingDim") int embeddingDim,
                             @JsonProperty("activation") Activation activation,
                             @JsonProperty("batchNorm") boolean batchNorm,
                             @JsonProperty("batchNormEps") Double batchNormEps,
                             @JsonProperty("batchNormMomentum") Double batchNormMomentum,
                             @JsonProperty("dropout") double dropout,
                             @JsonProperty("inputNoise") double inputNoise,
                             @JsonProperty("imageShape") int[] imageShape,
                             @JsonProperty("convChannels") int[] convChannels,
                             @JsonProperty("convKernels") int[] convKernels,
                             @JsonProperty("convStride") Integer convStride,
                             @JsonProperty("weightInit") WeightInit weightInit) {
        this.imageShape = imageShape == null ? null : imageShape.clone();
        this.convChannels = convChannels == null ? new int[]{32, 64, 128} : convChannels.clone();
        this.convKernels = convKernels == null ? new int[]{5, 5, 3} : convKernels.clone();
        this.convStride = convStride == null ? 2 : convStride;
        boolean conv = this.imageShape != null;
        this.hiddenWidthsGiven = hiddenWidths == null ? null : hiddenWidths.clone();
        this.hiddenWidths = hiddenWidths != null ? hiddenWidths.clone() : conv ? new int[0] : new int[]{500, 500, 2000};
        for (int w : this.hiddenWidths) {
            if (w <= 0) throw new IllegalArgumentException("hidden widths must be positive: " + Arrays.toString(hiddenWidths));
        }
        if (embeddingDim <= 0) throw new IllegalArgumentException("embeddingDim must be positive: " + embeddingDim);
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("dropout must be in [0,1): " + dropout);
        if (!(inputNoise >= 0 && inputNoise < 1)) throw new IllegalArgumentException("inputNoise must be in [0,1): " + inputNoise);
        if (conv) validateConvolutional(batchNorm, dropout);
        this.embeddingDim = embeddingDim;
        this.activation = activation == null ? Activation.RELU : activation;
        this.batchNorm = batchNorm;
        this.batchNormEps = batchNormEps == null ? 1e-5 : batchNormEps;
        this.batchNormMomentum = batchNormMomentum == null ? 0.1 : batchNormMomentum;
        this.dropout = dropout;
        this.inputNoise = inputNoise;
        this.weightInit = weightInit == null ? WeightInit.GLOROT_UNIFORM : weightInit; // null: saved before the option
    }

    private void validateConvolutional(boolean batchNorm, double dropout) {
        if (imageShape.length != 3 || imageShape[0] <= 0 || imageShape[1] <= 0 || imageShape[2] <= 0) {
            throw new IllegalArgumentException("imageShape must be {height, width, channels}, all positive: "
                    + Arrays.toString(imageShape));
        }
        if (convChannels.length == 0 || convChannels.length != convKernels.length) {
            throw new IllegalArgumentException("convChannels and convKernels must be non-empty and of the same length: "
                    + Arrays.toString(convChannels) + " vs " + Arrays.toString(convKernels));
        }
        for (int i = 0; i < convChannels.length; i++) {
            if (convChannels[i] <= 0 || convKernels[i] <= 0) {
                throw new IllegalArgumentException("convChannels and convKernels must be positive: "
                        + Arrays.toString(convChannels) + ", " + Arrays.toString(convKernels));
            }
        }
        if (convStride <= 0) throw new IllegalArgumentException("convStride must be positive: " + convStride);
        if (batchNorm) {
            throw new IllegalArgumentException("batch norm is not supported by the convolutional autoencoder (imageShape "
                    + Arrays.toString(imageShape) + "): set batchNorm=false");
        }
        if (dropout > 0) {
            throw new IllegalArgumentException("dropout is not supported by the convolutional autoencoder (imageShape "
                    + Arrays.toString(imageShape) + "): set dropout=0 (inputNoise works)");
        }
    }

    /**
     * Checks that rows of width {@code inputDim} fit this architecture: for a convolutional autoencoder
     * {@code inputDim} must be height * width * channels of {@link #getImageShape()}.
     */
    public void checkInputDim(int inputDim) {
        if (inputDim <= 0) throw new IllegalArgumentException("inputDim must be positive: " + inputDim);
        if (imageShape != null && (long) imageShape[0] * imageShape[1] * imageShape[2] != inputDim) {
            throw new IllegalArgumentException("the data has " + inputDim + " columns, but imageShape "
                    + Arrays.toString(imageShape) + " (height, width, channels) needs " + (long) imageShape[0] * imageShape[1]
                    * imageShape[2] + " = height * width * channels; give the image shape of the data (rows stored "
                    + "channels-last, HWC) or drop no columns before training");
        }
    }

    /** The DEC/IDEC defaults. */
    public static AutoencoderConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.hiddenWidths = hiddenWidthsGiven == null ? null : hiddenWidthsGiven.clone();
        return b.embeddingDim(embeddingDim).activation(activation)
                .batchNorm(batchNorm).batchNormEps(batchNormEps).batchNormMomentum(batchNormMomentum)
                .dropout(dropout).inputNoise(inputNoise).imageShape(imageShape).convChannels(convChannels)
                .convKernels(convKernels).convStride(convStride).weightInit(weightInit);
    }

    /** Widths of the encoder's hidden layers, input side first (the decoder mirrors them). */
    public int[] getHiddenWidths() { return hiddenWidths.clone(); }

    public int getEmbeddingDim() { return embeddingDim; }

    /** Activation of the hidden layers. */
    public Activation getActivation() { return activation; }

    /** Batch normalisation after every hidden linear layer (before the activation). */
    public boolean isBatchNorm() { return batchNorm; }

    public double getBatchNormEps() { return batchNormEps; }

    /** Running-statistics momentum as PyTorch: running = (1 - m) running + m batch. */
    public double getBatchNormMomentum() { return batchNormMomentum; }

    /** Dropout probability on every hidden layer's output (training only). */
    public double getDropout() { return dropout; }

    /** Masking-noise fraction: input entries set to 0 during training (denoising autoencoder); target is the clean input. */
    public double getInputNoise() { return inputNoise; }

    /** {height, width, channels} of the image rows (channels-last), or null for a fully connected autoencoder. */
    public int[] getImageShape() { return imageShape == null ? null : imageShape.clone(); }

    /** Output channels of the encoder's convolutions, input side first (default DEKM's {32, 64, 128}). */
    public int[] getConvChannels() { return convChannels.clone(); }

    /** Kernel sizes (square) of the encoder's convolutions (default DEKM's {5, 5, 3}). */
    public int[] getConvKernels() { return convKernels.clone(); }

    /** Stride of every convolution (default 2). */
    public int getConvStride() { return convStride; }

    /** Distribution of the initial weights (default {@link WeightInit#GLOROT_UNIFORM}). */
    public WeightInit getWeightInit() { return weightInit; }

    /** Whether this is the convolutional autoencoder (an image shape is set). */
    @JsonIgnore
    public boolean isConvolutional() { return imageShape != null; }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof AutoencoderConfig c)) return false;
        return embeddingDim == c.embeddingDim && batchNorm == c.batchNorm && Double.compare(batchNormEps, c.batchNormEps) == 0
                && Double.compare(batchNormMomentum, c.batchNormMomentum) == 0 && Double.compare(dropout, c.dropout) == 0
                && Double.compare(inputNoise, c.inputNoise) == 0 && Arrays.equals(hiddenWidths, c.hiddenWidths)
                && activation == c.activation && Arrays.equals(imageShape, c.imageShape)
                && Arrays.equals(convChannels, c.convChannels) && Arrays.equals(convKernels, c.convKernels)
                && convStride == c.convStride && weightInit == c.weightInit;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hiddenWidths) * 31 + embeddingDim * 17 + activation.hashCode() + (batchNorm ? 1 : 0)
                + Double.hashCode(dropout) + 3 * Double.hashCode(inputNoise) + 7 * Arrays.hashCode(imageShape);
    }

    @Override
    public String toString() {
        return "AutoencoderConfig{hidden=" + Arrays.toString(hiddenWidths) + ", embedding=" + embeddingDim + ", activation="
                + activation + ", batchNorm=" + batchNorm + ", dropout=" + dropout + ", inputNoise=" + inputNoise
                + (imageShape == null ? "" : ", imageShape=" + Arrays.toString(imageShape) + ", convChannels="
                + Arrays.toString(convChannels) + ", convKernels=" + Arrays.toString(convKernels) + ", convStride=" + convStride)
                + (weightInit == WeightInit.GLOROT_UNIFORM ? "" : ", weightInit=" + weightInit) + "}";
    }

    public static final class Builder {
        private int[] hiddenWidths; // null: {500, 500, 2000}, or none for a convolutional autoencoder
        private int embeddingDim = 10;
        private Activation activation = Activation.RELU;
        private boolean batchNorm;
        private double batchNormEps = 1e-5;
        private double batchNormMomentum = 0.1;
        private double dropout;
        private double inputNoise;
        private int[] imageShape;
        private int[] convChannels = {32, 64, 128};
        private int[] convKernels = {5, 5, 3};
        private int convStride = 2;
        private WeightInit weightInit = WeightInit.GLOROT_UNIFORM;

        public Builder hiddenWidths(int... w) { this.hiddenWidths = w.clone(); return this; }
        public Builder embeddingDim(int k) { this.embeddingDim = k; return this; }
        public Builder activation(Activation a) { this.activation = a; return this; }
        public Builder batchNorm(boolean b) { this.batchNorm = b; return this; }
        public Builder batchNormEps(double e) { this.batchNormEps = e; return this; }
        public Builder batchNormMomentum(double m) { this.batchNormMomentum = m; return this; }
        public Builder dropout(double p) { this.dropout = p; return this; }
        public Builder inputNoise(double p) { this.inputNoise = p; return this; }
        /**
         * {height, width, channels} of channels-last image rows: makes this the convolutional autoencoder; null: fully
         * connected. Hidden widths not set explicitly become none (DEKM has no dense hidden layer).
         */
        public Builder imageShape(int... hwc) { this.imageShape = hwc == null ? null : hwc.clone(); return this; }
        public Builder convChannels(int... c) { this.convChannels = c.clone(); return this; }
        public Builder convKernels(int... k) { this.convKernels = k.clone(); return this; }
        public Builder convStride(int s) { this.convStride = s; return this; }
        public Builder weightInit(WeightInit w) { this.weightInit = w; return this; }

        public AutoencoderConfig build() {
            return new AutoencoderConfig(hiddenWidths, embeddingDim, activation, batchNorm, batchNormEps, batchNormMomentum,
                    dropout, inputNoise, imageShape, convChannels, convKernels, convStride, weightInit);
        }
    }
}
