package org.deepclustering.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * What happened during training, kept in the model for reports (Weka's toString, logs, benchmarks).
 *
 * @param pretrainingEpochs autoencoder pretraining epochs run by this fit (0 when a saved autoencoder was reused)
 * @param pretrainingSeconds wall time of that pretraining
 * @param clusteringIterations iterations (mini-batch steps or rounds, as the method defines them) of the clustering stage
 * @param clusteringSeconds wall time of the clustering stage
 * @param finalLosses last value of each loss term, by name
 * @param stopReason why the clustering stage stopped (tolerance reached, iteration limit, ...)
 * @param clusterSizes training samples per cluster
 */
public record TrainingSummary(
    @JsonProperty("pretrainingEpochs") int pretrainingEpochs,
    @JsonProperty("pretrainingSeconds") double pretrainingSeconds,
    @JsonProperty("clusteringIterations") int clusteringIterations,
    @JsonProperty("clusteringSeconds") double clusteringSeconds,
    @JsonProperty("finalLosses") Map<String, Double> finalLosses,
    @JsonProperty("stopReason") String stopReason,
    @JsonProperty("clusterSizes") int[] clusterSizes) {

  @JsonCreator
  public TrainingSummary {
    finalLosses = finalLosses == null ? Map.of() : Map.copyOf(finalLosses);
    clusterSizes = clusterSizes == null ? new int[0] : clusterSizes.clone();
  }

  @Override
  public int[] clusterSizes() { return clusterSizes.clone(); }

  /** Counts of each label 0..k-1. */
  public static int[] sizes(int[] labels, int k) {
    int[] sizes = new int[k];
    for (int l : labels) sizes[l]++;
    return sizes;
  }
}
