package org.deepclustering.train;

import java.util.List;
import java.util.Map;

/** Listeners plus the start time of a training run; the interrupt and divergence checks used by all trainers. */
public final class TrainingMonitor {
    private final List<TrainingListener> listeners;
    private final long startNanos;

    public TrainingMonitor(List<TrainingListener> listeners) {
        this.listeners = List.copyOf(listeners);
        this.startNanos = System.nanoTime();
    }

    public static TrainingMonitor of(TrainingListener... listeners) {
        return new TrainingMonitor(List.of(listeners));
    }

    /** A monitor without listeners (still checks interrupts). */
    public static TrainingMonitor none() {
        return new TrainingMonitor(List.of());
    }

    public List<TrainingListener> listeners() { return listeners; }

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** @throws TrainingInterruptedException if the current thread is interrupted (the flag stays set) */
    public void checkInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new TrainingInterruptedException("Training interrupted");
        }
    }

    /** @throws TrainingDivergedException if {@code value} is NaN or infinite */
    public void checkFinite(String stage, int epoch, String lossName, double value) {
        if (!Double.isFinite(value)) {
            throw new TrainingDivergedException(stage, epoch, lossName, value);
        }
    }

    /** Sends a {@link TrainingEvent} to every listener. */
    public void report(String stage, int epoch, int totalEpochs, Map<String, Double> losses, double labelChangeFraction) {
        if (listeners.isEmpty()) return;
        TrainingEvent e = new TrainingEvent(stage, epoch, totalEpochs, losses, labelChangeFraction, elapsedSeconds());
        for (TrainingListener l : listeners) l.onEpoch(e);
    }
}
