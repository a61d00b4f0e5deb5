package org.deepclustering.algorithms;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Conversions between INDArrays and plain arrays, and statistics of embeddings, used by the clustering stages. */
final class EmbeddingMath {
  private EmbeddingMath() {}

  static float[][] toRows(INDArray m) {
    return m.castTo(DataType.FLOAT).toFloatMatrix();
  }

  static INDArray fromRows(float[][] rows) {
    return Nd4j.create(rows).castTo(DataType.FLOAT);
  }

  static double[][] toDoubleRows(INDArray m) {
    return m.castTo(DataType.DOUBLE).toDoubleMatrix();
  }

  /**
   * The absolute covariance regularisation of DC-GMM and AE+GMM: {@code relative} × the mean over coordinates of the
   * variance of the embedding (rows = samples), so that it scales with the embedding (a factor s gives s² here; see
   * docs/algorithms/deepcluster.md for why a fixed floor fails on an unbounded embedding).
   *
   * @throws IllegalStateException if the embedding is constant on the training rows
   */
  static double covarianceFloor(INDArray embedding, double relative) {
    return covarianceFloor(embedding.castTo(DataType.FLOAT).dup('c').data().asFloat(), (int) embedding.rows(),
        (int) embedding.columns(), relative);
  }

  /** {@link #covarianceFloor(INDArray, double)} of h, n rows × e columns stored row-major. */
  static double covarianceFloor(float[] h, int n, int e, double relative) {
    double meanVariance = 0;
    for (int j = 0; j < e; j++) {
      double mean = 0;
      for (int i = 0; i < n; i++) mean += h[i * e + j];
      mean /= n;
      double variance = 0;
      for (int i = 0; i < n; i++) {
        double r = h[i * e + j] - mean;
        variance += r * r;
      }
      meanVariance += variance / n / e;
    }
    if (!(meanVariance > 0)) {
      throw new IllegalStateException("the pretrained embedding f(X) is the same point for every training row, so no"
          + " Gaussian mixture can be fitted; pretrain longer, or check the input scaling and that the rows differ");
    }
    return relative * meanVariance;
  }
}
