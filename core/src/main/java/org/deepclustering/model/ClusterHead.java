package org.deepclustering.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Maps embeddings {@code z = f(x)} to clusters: the last stage of every trained model.
 *
 * <p>Every head gives hard labels and a probability vector per sample. {@link #nativeProbabilities()} says whether
 * the probabilities are the method's own soft assignment (DEC/IDEC Student-t q, DC-GMM posteriors) or the
 * documented distance-based fallback of centroid methods (a Student-t kernel with one degree of freedom).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = CentroidHead.class, name = "centroids"),
  @JsonSubTypes.Type(value = StudentTHead.class, name = "student-t"),
  @JsonSubTypes.Type(value = GaussianMixtureHead.class, name = "gaussian-mixture")
})
public sealed interface ClusterHead permits CentroidHead, StudentTHead, GaussianMixtureHead {
  int numClusters();

  int embeddingDim();

  /** Hard cluster labels 0..k-1 for row-major embeddings {@code z} (n x embeddingDim). */
  int[] assign(float[] z, int n);

  /** Soft assignments (n x k, rows sum to 1), row-major. */
  double[] probabilities(float[] z, int n);

  /** True when {@link #probabilities} is the method's own soft assignment rather than the distance-based fallback. */
  boolean nativeProbabilities();
}
