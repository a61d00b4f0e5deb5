package org.deepclustering.testing;

import org.deepclustering.algorithms.CommonConfig;
import org.deepclustering.data.Scaling;
import org.deepclustering.nn.AutoencoderConfig;
import org.deepclustering.nn.PretrainingConfig;

/** Small, fast configurations for tests (the paper-sized network is exercised by the benchmarks). */
public final class TinyConfigs {
  private TinyConfigs() {}

  public static CommonConfig common(int k, int hidden1, int hidden2, int embedding, int epochs, long seed, Scaling scaling) {
    return CommonConfig.defaults(k).withSeed(seed).withScaling(scaling)
        .withAutoencoder(AutoencoderConfig.builder().hiddenWidths(hidden1, hidden2).embeddingDim(embedding).build())
        .withPretraining(PretrainingConfig.builder().epochs(epochs).batchSize(64).build());
  }
}
