package org.deepclustering.algorithms;

import org.deepclustering.cluster.GaussianMixtureModel;

/** Checks on fitted Gaussian mixtures shared by the AE+GMM and DC-GMM tests. */
final class MixtureChecks {
  private MixtureChecks() {}

  /** The smallest eigenvalue over every component's covariance: what a covariance floor bounds from below. */
  static double smallestCovarianceEigenvalue(GaussianMixtureModel mixture) {
    double smallest = Double.POSITIVE_INFINITY;
    for (int k = 0; k < mixture.numComponents(); k++) {
      for (double v : SymmetricEigen.decompose(mixture.covariance(k)).values()) smallest = Math.min(smallest, v);
    }
    return smallest;
  }
}
