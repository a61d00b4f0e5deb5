package org.deepclustering.algorithms;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import org.deepclustering.cluster.KMeans;
import org.deepclustering.cluster.KMeansResult;
import org.deepclustering.model.CentroidHead;
import org.deepclustering.nn.Autoencoder;
import org.deepclustering.train.TrainingMonitor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * AE+KMeans, the baseline of the DEC/IDEC/DCN papers: pretrain an autoencoder, then run k-means on the embeddings
 * f(x). The encoder is not changed after pretraining.
 */
public final class AutoencoderKMeans extends AbstractDeepClusterer {

  /**
   * @param common shared options
   * @param kmeansRestarts k-means++ restarts on the embedding, keeping the lowest inertia (DEC code: 20)
   * @param kmeansMaxIterations Lloyd iterations per restart
   */
  public record Config(
      @JsonProperty("common") CommonConfig common,
      @JsonProperty("kmeansRestarts") int kmeansRestarts,
      @JsonProperty("kmeansMaxIterations") int kmeansMaxIterations) implements AlgorithmConfig {
    public Config {
      if (kmeansRestarts < 1) throw new IllegalArgumentException("kmeansRestarts must be at least 1, got " + kmeansRestarts);
      if (kmeansMaxIterations < 1) throw new IllegalArgumentException("kmeansMaxIterations must be at least 1, got " + kmeansMaxIterations);
    }

    /** Defaults: 20 k-means restarts (as the DEC/IDEC code), 300 iterations. */
    public static Config defaults(int numClusters) {
      return new Config(CommonConfig.defaults(numClusters), 20, 300);
    }

    public Config withCommon(CommonConfig c) { return new Config(c, kmeansRestarts, kmeansMaxIterations); }
    public Config withKmeansRestarts(int r) { return new Config(common, r, kmeansMaxIterations); }
  }

  private final Config config;

  public AutoencoderKMeans(Config config) {
    super(config.common());
    this.config = config;
  }

  @Override
  public String name() { return "AE+KMeans"; }

  @Override
  public Config config() { return config; }

  @Override
  protected StageResult cluster(INDArray x, Autoencoder autoencoder, TrainingMonitor monitor) {
    monitor.checkInterrupted();
    INDArray z = autoencoder.encode(x);
    KMeansResult km = kmeansOnEmbedding(z, config.common().numClusters(), config.kmeansRestarts(), config.kmeansMaxIterations(),
        config.common().seed());
    return new StageResult(autoencoder, new CentroidHead(EmbeddingMath.toRows(km.centroids())), km.labels(), km.iterations(),
        Map.of("kmeans-inertia", km.inertia()), "k-means converged");
  }

  /** k-means on embeddings, the initialisation step shared by DCN, DEC, IDEC and DEKM. */
  static KMeansResult kmeansOnEmbedding(INDArray z, int k, int restarts, int maxIterations, long seed) {
    return KMeans.builder().k(k).nInit(restarts).maxIterations(maxIterations).seed(seed).build().fit(z);
  }
}
