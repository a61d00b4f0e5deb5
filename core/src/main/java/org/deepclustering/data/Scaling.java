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
  SAMPLE_L2,
  /**
   * One factor for the whole data set: x * c with c = 1 / sqrt(mean of x² over all values), fitted on the training
   * data, so that the rows' average (1/d)·||x||² is 1: DEC's normalisation (Xie et al. 2016, section 4.1:
   * (1/d)·||x_i||² about 1), whose pretrained autoencoders the IDEC paper reuses. Zeros, signs and the relative sizes
   * of features and rows are kept. MNIST pixels in [0,1]: c ≈ 2.98 (DEC's code: 5.1, raw pixels times 0.02).
   */
  UNIT_MEAN_SQUARE
}
