package org.deepclustering.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Nearest-centroid assignment in embedding space: AE+KMeans, DCN, DC-Kmeans and DEKM.
 *
 * <p>Probabilities are the documented fallback: a Student-t kernel with α = 1 over squared distances (the same
 * kernel as DEC's q), so closer centroids get more mass and the argmax equals the nearest centroid. DEKM also stores
 * its orthonormal transform V (rows = eigenvectors of S_w in ascending eigenvalue order), applied as {@code y = V z};
 * distances are rotation-invariant, so labels do not depend on it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CentroidHead(float[][] centroids, float[][] transform) implements ClusterHead {
  @JsonCreator
  public CentroidHead(@JsonProperty("centroids") float[][] centroids, @JsonProperty("transform") float[][] transform) {
    if (centroids == null || centroids.length == 0) throw new IllegalArgumentException("no centroids");
    this.centroids = Heads.copy(centroids);
    this.transform = transform == null ? null : Heads.copy(transform);
  }

  public CentroidHead(float[][] centroids) {
    this(centroids, null);
  }

  @Override
  public float[][] centroids() { return Heads.copy(centroids); }

  @Override
  public float[][] transform() { return transform == null ? null : Heads.copy(transform); }

  @Override
  public int numClusters() { return centroids.length; }

  @Override
  public int embeddingDim() { return centroids[0].length; }

  @Override
  public int[] assign(float[] z, int n) {
    int d = embeddingDim();
    Heads.requireShape(z, n, d);
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      double best = Double.POSITIVE_INFINITY;
      for (int j = 0; j < centroids.length; j++) {
        double dist = Heads.squaredDistance(z, i * d, centroids[j]);
        if (dist < best) {
          best = dist;
          labels[i] = j;
        }
      }
    }
    return labels;
  }

  @Override
  public double[] probabilities(float[] z, int n) {
    Heads.requireShape(z, n, embeddingDim());
    return Heads.studentT(z, n, centroids, 1.0);
  }

  @Override
  public boolean nativeProbabilities() { return false; }
}
