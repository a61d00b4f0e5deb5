package org.deepclustering.nn;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Arrays;

/**
 * Architecture of a symmetric fully connected autoencoder: input - hidden... - embedding - mirrored hidden... - input.
 * Hidden layers use {@link #activation()}; the embedding and output layers are linear. Weights are Glorot-uniform,
 * biases zero. Defaults are those of DEC/IDEC: hidden widths {500, 500, 2000}, embedding 10, ReLU, no batch norm,
 * no dropout, no input noise. Immutable; Jackson-serialisable.
 */
public final class AutoencoderConfig {
    private final int[] hiddenWidths;
    private final int embeddingDim;
    private final Activation activation;
    private final boolean batchNorm;
    private final double batchNormEps;
    private final double batchNormMomentum;
    private final double dropout;
    private final double inputNoise;

    @JsonCreator
    public AutoencoderConfig(@JsonProperty("hiddenWidths") int[] hiddenWidths,
                             @JsonProperty("embeddingDim") int embeddingDim,
                             @JsonProperty("activation") Activation activation,
                             @JsonProperty("batchNorm") boolean batchNorm,
                             @JsonProperty("batchNormEps") Double batchNormEps,
                             @JsonProperty("batchNormMomentum") Double batchNormMomentum,
                             @JsonProperty("dropout") double dropout,
                             @JsonProperty("inputNoise") double inputNoise) {
        this.hiddenWidths = hiddenWidths == null ? new int[]{500, 500, 2000} : hiddenWidths.clone();
        for (int w : this.hiddenWidths) {
            if (w <= 0) throw new IllegalArgumentException("hidden widths must be positive: " + Arrays.toString(hiddenWidths));
        }
        if (embeddingDim <= 0) throw new IllegalArgumentException("embeddingDim must be positive: " + embeddingDim);
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("dropout must be in [0,1): " + dropout);
        if (!(inputNoise >= 0 && inputNoise < 1)) throw new IllegalArgumentException("inputNoise must be in [0,1): " + inputNoise);
        this.embeddingDim = embeddingDim;
        this.activation = activation == null ? Activation.RELU : activation;
        this.batchNorm = batchNorm;
        this.batchNormEps = batchNormEps == null ? 1e-5 : batchNormEps;
        this.batchNormMomentum = batchNormMomentum == null ? 0.1 : batchNormMomentum;
        this.dropout = dropout;
        this.inputNoise = inputNoise;
    }

    /** The DEC/IDEC defaults. */
    public static AutoencoderConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().hiddenWidths(hiddenWidths).embeddingDim(embeddingDim).activation(activation)
                .batchNorm(batchNorm).batchNormEps(batchNormEps).batchNormMomentum(batchNormMomentum)
                .dropout(dropout).inputNoise(inputNoise);
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

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof AutoencoderConfig c)) return false;
        return embeddingDim == c.embeddingDim && batchNorm == c.batchNorm && Double.compare(batchNormEps, c.batchNormEps) == 0
                && Double.compare(batchNormMomentum, c.batchNormMomentum) == 0 && Double.compare(dropout, c.dropout) == 0
                && Double.compare(inputNoise, c.inputNoise) == 0 && Arrays.equals(hiddenWidths, c.hiddenWidths)
                && activation == c.activation;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hiddenWidths) * 31 + embeddingDim * 17 + activation.hashCode() + (batchNorm ? 1 : 0)
                + Double.hashCode(dropout) + 3 * Double.hashCode(inputNoise);
    }

    @Override
    public String toString() {
        return "AutoencoderConfig{hidden=" + Arrays.toString(hiddenWidths) + ", embedding=" + embeddingDim + ", activation="
                + activation + ", batchNorm=" + batchNorm + ", dropout=" + dropout + ", inputNoise=" + inputNoise + "}";
    }

    public static final class Builder {
        private int[] hiddenWidths = {500, 500, 2000};
        private int embeddingDim = 10;
        private Activation activation = Activation.RELU;
        private boolean batchNorm;
        private double batchNormEps = 1e-5;
        private double batchNormMomentum = 0.1;
        private double dropout;
        private double inputNoise;

        public Builder hiddenWidths(int... w) { this.hiddenWidths = w.clone(); return this; }
        public Builder embeddingDim(int k) { this.embeddingDim = k; return this; }
        public Builder activation(Activation a) { this.activation = a; return this; }
        public Builder batchNorm(boolean b) { this.batchNorm = b; return this; }
        public Builder batchNormEps(double e) { this.batchNormEps = e; return this; }
        public Builder batchNormMomentum(double m) { this.batchNormMomentum = m; return this; }
        public Builder dropout(double p) { this.dropout = p; return this; }
        public Builder inputNoise(double p) { this.inputNoise = p; return this; }

        public AutoencoderConfig build() {
            return new AutoencoderConfig(hiddenWidths, embeddingDim, activation, batchNorm, batchNormEps, batchNormMomentum,
                    dropout, inputNoise);
        }
    }
}
