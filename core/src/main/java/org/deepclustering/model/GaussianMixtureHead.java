package org.deepclustering.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.deepclustering.cluster.GaussianMixtureModel;

/**
 * Gaussian-mixture posteriors in embedding space (AE+GMM, DC-GMM): probabilities are p(k | z) computed stably with
 * Cholesky factors and log-sum-exp; labels are their argmax.
 */
public final class GaussianMixtureHead implements ClusterHead {
  private final GaussianMixtureModel mixture;

  public GaussianMixtureHead(GaussianMixtureModel mixture) {
    this.mixture = mixture;
  }

  @JsonCreator
  public GaussianMixtureHead(@JsonProperty("weights") double[] weights, @JsonProperty("means") double[][] means,
      @JsonProperty("covariances") double[][][] covariances) {
    this(GaussianMixtureModel.of(weights, means, covariances));
  }

  @JsonProperty("weights")
  public double[] weights() { return mixture.weights(); }

  @JsonProperty("means")
  public double[][] means() { return mixture.means(); }

  @JsonProperty("covariances")
  public double[][][] covariances() { return mixture.covariances(); }

  /** The mixture itself (precisions, Cholesky factors, log-determinants for export). */
  @JsonIgnore
  public GaussianMixtureModel mixture() { return mixture; }

  @Override
  public int numClusters() { return mixture.numComponents(); }

  @Override
  public int embeddingDim() { return mixture.dimension(); }

  @Override
  public int[] assign(float[] z, int n) {
    return mixture.predict(rows(z, n));
  }

  @Override
  public double[] probabilities(float[] z, int n) {
    double[][] p = mixture.predictProba(rows(z, n));
    int k = numClusters();
    double[] flat = new double[n * k];
    for (int i = 0; i < n; i++) System.arraycopy(p[i], 0, flat, i * k, k);
    return flat;
  }

  @Override
  public boolean nativeProbabilities() { return true; }

  private double[][] rows(float[] z, int n) {
    int d = embeddingDim();
    Heads.requireShape(z, n, d);
    double[][] x = new double[n][d];
    for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) x[i][j] = z[i * d + j];
    return x;
  }
}
