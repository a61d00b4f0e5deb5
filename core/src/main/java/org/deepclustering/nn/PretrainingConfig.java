package org.deepclustering.nn;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Autoencoder pretraining settings. Defaults as DEC/IDEC: 200 epochs, batch 256, Adam lr 0.001, reshuffled every epoch,
 * end-to-end (no layer-wise stage). Layer-wise (stacked denoising, as DEC): each encoder layer and its mirrored decoder
 * layer are trained as a shallow autoencoder on the previous layer's codes for {@code layerwiseEpochs} epochs with
 * masking noise {@code layerwiseCorruption} on its input and dropout {@code layerwiseCorruption} on its code, then the
 * whole autoencoder is fine-tuned end to end for {@code epochs} epochs. Immutable; Jackson-serialisable.
 */
public final class PretrainingConfig {
    private final int epochs;
    private final int batchSize;
    private final OptimizerConfig optimizer;
    private final boolean shuffle;
    private final boolean layerwise;
    private final int layerwiseEpochs;
    private final double layerwiseCorruption;

    @JsonCreator
    public PretrainingConfig(@JsonProperty("epochs") int epochs, @JsonProperty("batchSize") int batchSize,
                             @JsonProperty("optimizer") OptimizerConfig optimizer, @JsonProperty("shuffle") boolean shuffle,
                             @JsonProperty("layerwise") boolean layerwise, @JsonProperty("layerwiseEpochs") int layerwiseEpochs,
                             @JsonProperty("layerwiseCorruption") double layerwiseCorruption) {
        if (epochs < 0) throw new IllegalArgumentException("epochs must be >= 0: " + epochs);
        if (batchSize <= 0) throw new IllegalArgumentException("batchSize must be positive: " + batchSize);
        if (layerwiseEpochs < 0) throw new IllegalArgumentException("layerwiseEpochs must be >= 0: " + layerwiseEpochs);
        if (!(layerwiseCorruption >= 0 && layerwiseCorruption < 1)) {
            throw new IllegalArgumentException("layerwiseCorruption must be in [0,1): " + layerwiseCorruption);
        }
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.optimizer = optimizer == null ? OptimizerConfig.adam() : optimizer;
        this.shuffle = shuffle;
        this.layerwise = layerwise;
        this.layerwiseEpochs = layerwiseEpochs;
        this.layerwiseCorruption = layerwiseCorruption;
    }

    public static PretrainingConfig defaults() { return builder().build(); }

    public static Builder builder() { return new Builder(); }

    public Builder toBuilder() {
        return new Builder().epochs(epochs).batchSize(batchSize).optimizer(optimizer).shuffle(shuffle).layerwise(layerwise)
                .layerwiseEpochs(layerwiseEpochs).layerwiseCorruption(layerwiseCorruption);
    }

    public int getEpochs() { return epochs; }
    public int getBatchSize() { return batchSize; }
    public OptimizerConfig getOptimizer() { return optimizer; }
    public boolean isShuffle() { return shuffle; }
    public boolean isLayerwise() { return layerwise; }
    public int getLayerwiseEpochs() { return layerwiseEpochs; }
    /** Epochs per layer the layer-wise stage runs: 0 when it is off. */
    public int layerwiseEpochsRun() { return layerwise ? layerwiseEpochs : 0; }
    public double getLayerwiseCorruption() { return layerwiseCorruption; }

    @Override
    public boolean equals(Object o) {
        return o instanceof PretrainingConfig c && epochs == c.epochs && batchSize == c.batchSize
                && optimizer.equals(c.optimizer) && shuffle == c.shuffle && layerwise == c.layerwise
                && layerwiseEpochs == c.layerwiseEpochs && layerwiseCorruption == c.layerwiseCorruption;
    }

    @Override
    public int hashCode() {
        return epochs * 31 + batchSize * 17 + optimizer.hashCode() + (layerwise ? 1 : 0) + layerwiseEpochs;
    }

    @Override
    public String toString() {
        return "PretrainingConfig{epochs=" + epochs + ", batch=" + batchSize + ", " + optimizer + ", shuffle=" + shuffle
                + ", layerwise=" + layerwise + "/" + layerwiseEpochs + "/" + layerwiseCorruption + "}";
    }

    public static final class Builder {
        private int epochs = 200;
        private int batchSize = 256;
        private OptimizerConfig optimizer = OptimizerConfig.adam();
        private boolean shuffle = true;
        private boolean layerwise;
        private int layerwiseEpochs = 50;
        private double layerwiseCorruption = 0.2;

        public Builder epochs(int v) { this.epochs = v; return this; }
        public Builder batchSize(int v) { this.batchSize = v; return this; }
        public Builder optimizer(OptimizerConfig v) { this.optimizer = v; return this; }
        public Builder shuffle(boolean v) { this.shuffle = v; return this; }
        public Builder layerwise(boolean v) { this.layerwise = v; return this; }
        public Builder layerwiseEpochs(int v) { this.layerwiseEpochs = v; return this; }
        public Builder layerwiseCorruption(double v) { this.layerwiseCorruption = v; return this; }

        public PretrainingConfig build() {
            return new PretrainingConfig(epochs, batchSize, optimizer, shuffle, layerwise, layerwiseEpochs, layerwiseCorruption);
        }
    }
}
