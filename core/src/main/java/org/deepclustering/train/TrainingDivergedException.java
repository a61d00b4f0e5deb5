package org.deepclustering.train;

/** Thrown when a training loss becomes NaN or infinite. */
public class TrainingDivergedException extends RuntimeException {
    private final String stage;
    private final int epoch;

    public TrainingDivergedException(String stage, int epoch, String lossName, double value) {
        super("Training diverged in stage '" + stage + "' at epoch " + epoch + ": " + lossName + " loss is " + value
                + ". Try a smaller learning rate.");
        this.stage = stage;
        this.epoch = epoch;
    }

    public String stage() { return stage; }

    public int epoch() { return epoch; }
}
