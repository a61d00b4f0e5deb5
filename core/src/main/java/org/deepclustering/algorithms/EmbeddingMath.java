package org.deepclustering.algorithms;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Conversions between INDArrays and plain arrays used by the clustering stages. */
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
}
