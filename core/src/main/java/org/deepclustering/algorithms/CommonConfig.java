package org.deepclustering.algorithms;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;
import org.deepclustering.data.Scaling;
import org.deepclustering.nn.AutoencoderConfig;
import org.deepclustering.nn.PretrainingConfig;

/**
 * Options every method shares.
 *
 * @param numClusters k
 * @param seed seeds weight initialisation, shuffling and k-means: the same seed gives the same clustering
 * @param scaling input preprocessing, fitted on the training data and stored in the model
 * @param autoencoder architecture (default d-500-500-2000-10, as DEC/IDEC/DCN on MNIST)
 * @param pretraining how the autoencoder is pretrained before clustering
 */
public record CommonConfig(
    @JsonProperty("numClusters") int numClusters,
    @JsonProperty("seed") long seed,
    @JsonProperty("scaling") Scaling scaling,
    @JsonProperty("autoencoder") AutoencoderConfig autoencoder,
    @JsonProperty("pretraining") PretrainingConfig pretraining) {

  public CommonConfig {
    if (numClusters < 1) throw new IllegalArgumentException("the number of clusters must be at least 1, got " + numClusters);
    Objects.requireNonNull(scaling, "scaling");
    Objects.requireNonNull(autoencoder, "autoencoder");
    Objects.requireNonNull(pretraining, "pretraining");
  }

  /** Paper defaults for k clusters: no scaling, d-500-500-2000-10, default pretraining, seed 0. */
  public static CommonConfig defaults(int numClusters) {
    return new CommonConfig(numClusters, 0L, Scaling.NONE, AutoencoderConfig.defaults(), PretrainingConfig.defaults());
  }

  public CommonConfig withNumClusters(int k) { return new CommonConfig(k, seed, scaling, autoencoder, pretraining); }
  public CommonConfig withSeed(long s) { return new CommonConfig(numClusters, s, scaling, autoencoder, pretraining); }
  public CommonConfig withScaling(Scaling s) { return new CommonConfig(numClusters, seed, s, autoencoder, pretraining); }
  public CommonConfig withAutoencoder(AutoencoderConfig a) { return new CommonConfig(numClusters, seed, scaling, a, pretraining); }
  public CommonConfig withPretraining(PretrainingConfig p) { return new CommonConfig(numClusters, seed, scaling, autoencoder, p); }
}
