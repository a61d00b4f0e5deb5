package org.deepclustering.data;

/** Input preprocessing applied before the autoencoder; its fitted parameters are stored in the trained model. */
public enum Scaling {
  /** Use the values as they are (e.g. MNIST pixels already in [0,1]). */
  NONE,
  /** Per feature: (x - min) / (max - min), fitted on the training data. */
  MIN_MAX,
  /** Per feature: (x - mean) / standard deviation, fitted on the training data. */
  Z_SCORE,
  /**
   * Per sample: x * sqrt(d) / ||x||, so that (1/d)·||x||² = 1, as DEC and IDEC scale text data (tf-idf rows).
   * All-zero rows stay zero.
   */
  SAMPLE_L2
}
