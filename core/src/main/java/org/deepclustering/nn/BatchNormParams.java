package org.deepclustering.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batch-normalisation parameters of one layer (copies, each 1 x width):
 * y = gamma (x - runningMean) / sqrt(runningVar + eps) + beta at inference.
 */
public record BatchNormParams(INDArray gamma, INDArray beta, INDArray runningMean, INDArray runningVar, double eps) {
}
