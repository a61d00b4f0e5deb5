package org.deepclustering.algorithms;

import org.deepclustering.nn.OptimizerConfig;

/**
 * Optimizer of a clustering stage (network and trainable centroids alike). The IDEC paper uses Adam on MNIST and SGD
 * with momentum 0.99 on USPS and Reuters; the DEC-Keras code uses SGD with momentum 0.9.
 */
public enum ClusteringOptimizer {
  /** Adam with PyTorch's betas and epsilon (IDEC paper on MNIST: learning rate 0.001). */
  ADAM,
  /** Classic momentum: v ← m v + lr g, θ ← θ − v (IDEC paper on USPS/Reuters: lr 0.1, m 0.99; DEC-Keras: 0.01, 0.9). */
  SGD_MOMENTUM;

  /** The network optimizer's settings for this choice. */
  public OptimizerConfig config(double learningRate, double momentum) {
    return switch (this) {
      case ADAM -> OptimizerConfig.adam(learningRate);
      case SGD_MOMENTUM -> OptimizerConfig.sgdMomentum(learningRate, momentum);
    };
  }
}
