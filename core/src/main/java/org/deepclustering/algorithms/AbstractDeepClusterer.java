package org.deepclustering.algorithms;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.deepclustering.data.DataValidation;
import org.deepclustering.data.Dataset;
import org.deepclustering.model.ClusterHead;
import org.deepclustering.model.ClusteringModel;
import org.deepclustering.model.PretrainedAutoencoder;
import org.deepclustering.model.TrainingSummary;
import org.deepclustering.nn.Autoencoder;
import org.deepclustering.train.TrainingListener;
import org.deepclustering.train.TrainingMonitor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The part all methods share: input checks, scaling, pretraining (or reuse of a pretrained autoencoder) and packaging
 * of the result. A subclass implements only its clustering stage, {@link #cluster}, following its paper's algorithm
 * box.
 */
public abstract class AbstractDeepClusterer implements ClusteringAlgorithm {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CommonConfig common;

  protected AbstractDeepClusterer(CommonConfig common) {
    this.common = Objects.requireNonNull(common, "common");
  }

  @Override
  public CommonConfig common() { return common; }

  /** The method's full configuration (shown in reports and stored in the model). */
  public abstract Object config();

  @Override
  public final ClusteringModel fit(Dataset data, TrainingListener... listeners) {
    DataValidation.requireUsableTrainingData(data);
    DataValidation.requireClusterCount(common.numClusters(), data.rows());
    PretrainedAutoencoder pretrained = PretrainedAutoencoder.train(data, common.scaling(), common.autoencoder(),
        common.pretraining(), common.seed(), listeners);
    return clusterFrom(data, pretrained, pretrained.epochs(), pretrained.seconds(), listeners);
  }

  @Override
  public final ClusteringModel fit(Dataset data, PretrainedAutoencoder pretrained, TrainingListener... listeners) {
    Objects.requireNonNull(pretrained, "pretrained");
    DataValidation.requireUsableTrainingData(data);
    DataValidation.requireClusterCount(common.numClusters(), data.rows());
    pretrained.requireCompatible(data);
    return clusterFrom(data, pretrained, 0, 0.0, listeners);
  }

  private ClusteringModel clusterFrom(Dataset data, PretrainedAutoencoder pretrained, int pretrainingEpochs,
      double pretrainingSeconds, TrainingListener... listeners) {
    INDArray x = pretrained.scaler().transform(data).toINDArray();
    TrainingMonitor monitor = new TrainingMonitor(Arrays.asList(listeners));
    long start = System.nanoTime();
    StageResult stage = cluster(x, pretrained.autoencoder().copy(), monitor);
    double seconds = (System.nanoTime() - start) / 1e9;
    TrainingSummary summary = new TrainingSummary(pretrainingEpochs, pretrainingSeconds, stage.iterations(), seconds,
        stage.finalLosses(), stage.stopReason(), TrainingSummary.sizes(stage.labels(), common.numClusters()));
    return new ClusteringModel(name(), parameters(), data.featureNames(), pretrained.scaler(), stage.autoencoder(),
        stage.head(), summary);
  }

  /**
   * The clustering stage of the method: starts from a private copy of the pretrained autoencoder (free to train it)
   * and the scaled data {@code x} (n x d, float32).
   */
  protected abstract StageResult cluster(INDArray x, Autoencoder autoencoder, TrainingMonitor monitor);

  /** The configuration as a flat-ish map for reports and model metadata. */
  @SuppressWarnings("unchecked")
  protected Map<String, Object> parameters() {
    // Through JSON text, so the map equals the one read back from a saved model (lists, not arrays).
    try {
      return JSON.readValue(JSON.writeValueAsBytes(config()), LinkedHashMap.class);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * What a clustering stage produces.
   *
   * @param autoencoder the (possibly fine-tuned) autoencoder whose encoder the model uses
   * @param head maps embeddings to clusters
   * @param labels final training labels, 0..k-1
   * @param iterations iterations run, as the method counts them
   * @param finalLosses last value of each loss term
   * @param stopReason why the stage stopped
   */
  protected record StageResult(Autoencoder autoencoder, ClusterHead head, int[] labels, int iterations,
      Map<String, Double> finalLosses, String stopReason) {}
}
