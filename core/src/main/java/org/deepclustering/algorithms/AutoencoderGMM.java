package org.deepclustering.algorithms;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import org.deepclustering.cluster.GaussianMixture;
import org.deepclustering.cluster.GaussianMixtureModel;
import org.deepclustering.model.GaussianMixtureHead;
import org.deepclustering.nn.Autoencoder;
import org.deepclustering.train.TrainingMonitor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * AE+GMM, the DeepCluster paper's baseline: pretrain an autoencoder, then fit a full-covariance Gaussian mixture to
 * the embeddings by EM (k-means initialisation). Soft assignments are the mixture posteriors.
 */
public final class AutoencoderGMM extends AbstractDeepClusterer {

  /**
   * @param common shared options
   * @param restarts EM restarts (each from its own k-means initialisation), keeping the highest likelihood
   * @param maxIterations EM iterations per restart
   * @param covarianceRegularisation added to each covariance diagonal (DeepCluster code: 1e-5)
   */
  public record Config(
      @JsonProperty("common") CommonConfig common,
      @JsonProperty("restarts") int restarts,
      @JsonProperty("maxIterations") int maxIterations,
      @JsonProperty("covarianceRegularisation") double covarianceRegularisation) implements AlgorithmConfig {
    public Config {
      if (restarts < 1) throw new IllegalArgumentException("restarts must be at least 1, got " + restarts);
      if (maxIterations < 1) throw new IllegalArgumentException("maxIterations must be at least 1, got " + maxIterations);
      if (!(covarianceRegularisation >= 0)) {
        throw new IllegalArgumentException("covarianceRegularisation must be >= 0, got " + covarianceRegularisation);
      }
    }

    /** Defaults: 5 restarts, 200 EM iterations, regularisation 1e-5 (as the DeepCluster code). */
    public static Config defaults(int numClusters) {
      return new Config(CommonConfig.defaults(numClusters), 5, 200, 1e-5);
    }

    public Config withCommon(CommonConfig c) { return new Config(c, restarts, maxIterations, covarianceRegularisation); }
  }

  private final Config config;

  public AutoencoderGMM(Config config) {
    super(config.common());
    this.config = config;
  }

  @Override
  public String name() { return "AE+GMM"; }

  @Override
  public Config config() { return config; }

  @Override
  protected StageResult cluster(INDArray x, Autoencoder autoencoder, TrainingMonitor monitor) {
    monitor.checkInterrupted();
    INDArray z = autoencoder.encode(x);
    GaussianMixtureModel gmm = GaussianMixture.builder().k(config.common().numClusters()).nInit(config.restarts())
        .maxIterations(config.maxIterations()).regularisation(config.covarianceRegularisation()).seed(config.common().seed())
        .build().fit(z);
    double[] trace = gmm.logLikelihoodTrace();
    return new StageResult(autoencoder, new GaussianMixtureHead(gmm), gmm.predict(z), trace.length,
        Map.of("mean-log-likelihood", gmm.meanLogLikelihood(z)), gmm.converged() ? "EM converged" : "EM iteration limit");
  }
}
