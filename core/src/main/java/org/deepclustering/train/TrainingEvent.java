package org.deepclustering.train;

import java.util.Map;

/**
 * Progress of one training epoch.
 *
 * @param stage               "pretraining", "layerwise-1", "layerwise-2", ..., or "clustering"
 * @param epoch               1-based epoch number within the stage
 * @param totalEpochs         planned number of epochs in the stage (an upper bound where training may stop early)
 * @param losses              mean losses over the epoch by name, e.g. "reconstruction" (mean squared error per element)
 * @param labelChangeFraction fraction of cluster labels that changed, or NaN where not applicable
 * @param elapsedSeconds      seconds since the monitor was created
 */
public record TrainingEvent(String stage, int epoch, int totalEpochs, Map<String, Double> losses,
                            double labelChangeFraction, double elapsedSeconds) {
    public TrainingEvent {
        losses = Map.copyOf(losses);
    }
}
