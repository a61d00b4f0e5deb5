package org.deepclustering.algorithms;

/** A method's configuration: the shared options plus its own. Implemented by each method's {@code Config} record. */
public interface AlgorithmConfig {
  CommonConfig common();
}
