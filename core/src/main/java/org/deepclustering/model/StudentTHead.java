package org.deepclustering.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** DEC/IDEC: soft assignment q by the Student-t kernel, eq. (3); labels = argmax q, eq. (14). */
public record StudentTHead(float[][] centroids, double alpha) implements ClusterHead {
  @JsonCreator
  public StudentTHead(@JsonProperty("centroids") float[][] centroids, @JsonProperty("alpha") double alpha) {
    if (centroids == null || centroids.length == 0) throw new IllegalArgumentException("no centroids");
    if (!(alpha > 0)) throw new IllegalArgumentException("alpha must be positive, got " + alpha);
    this.centroids = Heads.copy(centroids);
    this.alpha = alpha;
  }

  @Override
  public float[][] centroids() { return Heads.copy(centroids); }

  @Override
  public int numClusters() { return centroids.length; }

  @Override
  public int embeddingDim() { return centroids[0].length; }

  @Override
  public int[] assign(float[] z, int n) {
    double[] q = probabilities(z, n);
    int k = centroids.length;
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) labels[i] = Heads.argmax(q, i * k, k);
    return labels;
  }

  @Override
  public double[] probabilities(float[] z, int n) {
    Heads.requireShape(z, n, embeddingDim());
    return Heads.studentT(z, n, centroids, alpha);
  }

  @Override
  public boolean nativeProbabilities() { return true; }
}
