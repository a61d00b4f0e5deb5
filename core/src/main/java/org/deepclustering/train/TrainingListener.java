package org.deepclustering.train;

/** Receives one {@link TrainingEvent} per finished epoch (or clustering round). Called on the training thread. */
@FunctionalInterface
public interface TrainingListener {
    void onEpoch(TrainingEvent e);
}
