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
 * the embeddings by EM (k-means initialisation). Soft assignments are the mixture posteriors. The covariance floor
 * is relative to the embedding's variance and the EM restarts are as many, as in {@link DeepClusterGMM}: with the
 * defaults the baseline is DC-GMM's initial mixture, so the two isolate what DC-GMM's ADMM iterations add.
 */
public final class AutoencoderGMM extends AbstractDeepClusterer {

  /**
   * @param common shared options
   * @param restarts EM restarts (each from its own k-means initialisation), keeping the highest likelihood
   * @param maxIterations EM iterations per restart
   * @param relativeCovarianceRegularisation added to each covariance diagonal, as a fraction of the mean
   *     per-coordinate variance of the embedding (0.01; the DeepCluster code adds 1e-5 to a sigmoid embedding)
   */
  public record Config(
      @JsonProperty("common") CommonConfig common,
      @JsonProperty("restarts") int restarts,
      @JsonProperty("maxIterations") int maxIterations,
      @JsonProperty("relativeCovarianceRegularisation") double relativeCovarianceRegularisation) implements AlgorithmConfig {
    public Config {
      if (restarts < 1) throw new IllegalArgumentException("restarts must be at least 1, got " + restarts);
      if (maxIterations < 1) throw new IllegalArgumentException("maxIterations must be at least 1, got " + maxIterations);
      if (!(relativeCovarianceRegularisation > 0) || Double.isInfinite(relativeCovarianceRegularisation)) {
        throw new IllegalArgumentException("relativeCovarianceRegularisation must be a positive number (a fraction of the embedding's variance that keeps covariances invertible), got "
            + relativeCovarianceRegularisation);
      }
    }

    /** Defaults: DC-GMM's initial mixture (10 restarts, 200 EM iterations, relative floor 0.01), taken from it. */
    public static Config defaults(int numClusters) {
      DeepClusterGMM.Config dcGmm = DeepClusterGMM.Config.defaults(numClusters);
      return new Config(dcGmm.common(), dcGmm.kmeansRestarts(), DeepClusterGMM.INITIAL_EM_ITERATIONS,
          dcGmm.relativeCovarianceRegularisation());
    }

    public Config withCommon(CommonConfig c) { return new Config(c, restarts, maxIterations, relativeCovarianceRegularisation); }
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
    double floor = EmbeddingMath.covarianceFloor(z, config.relativeCovarianceRegularisation());
    GaussianMixtureModel gmm = GaussianMixture.builder().k(config.common().numClusters()).nInit(config.restarts())
        .maxIterations(config.maxIterations()).regularisation(floor).seed(config.common().seed()).build().fit(z);
    double[] trace = gmm.logLikelihoodTrace();
    return new StageResult(autoencoder, new GaussianMixtureHead(gmm), gmm.predict(z), trace.length,
        Map.of("mean-log-likelihood", gmm.meanLogLikelihood(z)), gmm.converged() ? "EM converged" : "EM iteration limit");
  }
}
