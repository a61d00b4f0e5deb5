package org.deepclustering.algorithms;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.deepclustering.nn.Autoencoder;
import org.deepclustering.train.TrainingMonitor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DEC, Deep Embedded Clustering (Xie, Girshick, Farhadi, ICML 2016), as described in the IDEC paper (Guo et al., IJCAI
 * 2017, equation numbers of that paper): after pretraining, the decoder is dropped and the encoder and the centroids
 * are trained on the clustering loss alone, L = L_c = KL(P‖Q) (7).
 *
 * <p>Algorithm: initialise μ by k-means on the pretrained embedding; then for each iteration: every T iterations
 * compute Q (3) and the target P (4) on all data, stop if fewer than a fraction δ of the labels (14) changed since the
 * last update; otherwise take a mini-batch and update the encoder (gradient (9) through the embedding) and μ (10) by
 * Adam (or SGD with momentum, as DEC's Keras code). L_c is averaged over the batch rows ("batchmean"), as the
 * reference code. This is IDEC's loop with the decoder dropped, so the code is {@link IDEC#studentTLoop}, called with
 * {@code keepDecoder = false}.
 */
public final class DEC extends AbstractDeepClusterer {
  /**
   * @param common shared options
   * @param alpha α, degrees of freedom of the Student-t kernel (paper: 1)
   * @param updateInterval T, iterations between target-distribution updates (paper: 140 on MNIST, 30 USPS, 3 Reuters)
   * @param tolerance δ, stop when fewer than this fraction of labels changed between two target updates (paper: 0.001)
   * @param maxIterations MaxIter, mini-batch iterations at most (paper: 20000)
   * @param batchSize mini-batch size (paper: 256; capped at the number of rows)
   * @param learningRate learning rate of the encoder and the centroids (IDEC paper: Adam 0.001 on MNIST; DEC-Keras:
   *     SGD 0.01)
   * @param optimizer optimizer of the encoder and the centroids (IDEC paper: Adam on MNIST; DEC-Keras: SGD with momentum;
   *     null: Adam, for configurations saved before the option)
   * @param momentum momentum of {@link ClusteringOptimizer#SGD_MOMENTUM} (IDEC paper: 0.99; DEC-Keras: 0.9)
   * @param kmeansRestarts k-means++ restarts for the initial centroids (reference code: 20)
   */
  public record Config(
      @JsonProperty("common") CommonConfig common,
      @JsonProperty("alpha") double alpha,
      @JsonProperty("updateInterval") int updateInterval,
      @JsonProperty("tolerance") double tolerance,
      @JsonProperty("maxIterations") int maxIterations,
      @JsonProperty("batchSize") int batchSize,
      @JsonProperty("learningRate") double learningRate,
      @JsonProperty("optimizer") ClusteringOptimizer optimizer,
      @JsonProperty("momentum") double momentum,
      @JsonProperty("kmeansRestarts") int kmeansRestarts) implements AlgorithmConfig, IDEC.LoopOptions {
    public Config {
      java.util.Objects.requireNonNull(common, "common");
      if (optimizer == null) optimizer = ClusteringOptimizer.ADAM;
      StudentTClustering.checkOptions("DEC", alpha, updateInterval, tolerance, maxIterations, batchSize, learningRate, momentum, kmeansRestarts);
    }

    /**
     * The IDEC paper's MNIST settings for DEC: α 1, T 140, δ 0.001, MaxIter 20000, batch 256, Adam 0.001 (momentum 0.99
     * is used only with SGD_MOMENTUM), 20 restarts.
     */
    public static Config defaults(int numClusters) {
      return new Config(CommonConfig.defaults(numClusters), 1.0, 140, 0.001, 20000, 256, 0.001,
          ClusteringOptimizer.ADAM, 0.99, 20);
    }

    public Config withCommon(CommonConfig c) { return new Config(c, alpha, updateInterval, tolerance, maxIterations, batchSize, learningRate, optimizer, momentum, kmeansRestarts); }
    public Config withUpdateInterval(int t) { return new Config(common, alpha, t, tolerance, maxIterations, batchSize, learningRate, optimizer, momentum, kmeansRestarts); }
    public Config withTolerance(double tol) { return new Config(common, alpha, updateInterval, tol, maxIterations, batchSize, learningRate, optimizer, momentum, kmeansRestarts); }
    public Config withMaxIterations(int m) { return new Config(common, alpha, updateInterval, tolerance, m, batchSize, learningRate, optimizer, momentum, kmeansRestarts); }
    public Config withBatchSize(int b) { return new Config(common, alpha, updateInterval, tolerance, maxIterations, b, learningRate, optimizer, momentum, kmeansRestarts); }
    /** The clustering stage's optimizer, e.g. DEC-Keras' {@code (SGD_MOMENTUM, 0.01, 0.9)}. */
    public Config withOptimizer(ClusteringOptimizer o, double lr, double m) { return new Config(common, alpha, updateInterval, tolerance, maxIterations, batchSize, lr, o, m, kmeansRestarts); }
  }

  private final Config config;

  public DEC(Config config) {
    super(config.common());
    this.config = config;
  }

  @Override
  public String name() { return "DEC"; }

  @Override
  public Config config() { return config; }

  /** The loop of IDEC's Algorithm 1 without the decoder: L = L_c (7), γ = 1 (see {@link IDEC#studentTLoop}). */
  @Override
  protected StageResult cluster(INDArray x, Autoencoder autoencoder, TrainingMonitor monitor) {
    return IDEC.studentTLoop("DEC", config, 1.0, false, x, autoencoder, monitor);
  }
}
