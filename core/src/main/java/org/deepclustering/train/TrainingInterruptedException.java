package org.deepclustering.train;

/**
 * Thrown when the training thread's interrupt flag is seen (checked before every mini-batch).
 * The interrupt flag is left set.
 */
public class TrainingInterruptedException extends RuntimeException {
    public TrainingInterruptedException(String message) {
        super(message);
    }
}
