package org.deepclustering.algorithms;

import org.deepclustering.data.Dataset;
import org.deepclustering.model.ClusteringModel;
import org.deepclustering.model.PretrainedAutoencoder;
import org.deepclustering.train.TrainingListener;

/**
 * A deep clustering method: configuration in, {@link ClusteringModel} out. Implementations are stateless apart from
 * their immutable configuration, so one instance can fit many data sets (and several threads may call fit).
 *
 * <p>Training can be stopped by interrupting the calling thread: fit then throws
 * {@link org.deepclustering.train.TrainingInterruptedException} within one mini-batch and leaves nothing half-built.
 */
public interface ClusteringAlgorithm {
  /** Short method name, e.g. "IDEC". */
  String name();

  /** The shared part of the configuration (k, seed, scaling, autoencoder, pretraining). */
  CommonConfig common();

  /** Pretrains an autoencoder on {@code data} (ground-truth labels are never used), then runs the clustering stage. */
  ClusteringModel fit(Dataset data, TrainingListener... listeners);

  /**
   * Runs only the clustering stage, starting from a pretrained autoencoder (which is not modified), so one pretraining
   * can serve several methods. The pretrained autoencoder's own scaling is used.
   */
  ClusteringModel fit(Dataset data, PretrainedAutoencoder pretrained, TrainingListener... listeners);
}
