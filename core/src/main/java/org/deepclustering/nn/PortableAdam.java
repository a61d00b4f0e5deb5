package org.deepclustering.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam as PyTorch's {@code torch.optim.Adam} (bias-corrected, epsilon added to sqrt(v_hat)) with in-place ND4J
 * operations only, so the moments stay wherever the backend keeps its arrays (GPU memory on CUDA). Same float
 * arithmetic, in the same order, as {@link FusedAdam}:
 * {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g g; p -= (lr/bc1) m / (sqrt(v)/sqrt(bc2) + eps)}.
 */
final class PortableAdam {
    private final INDArray params;
    private final INDArray m, v, s;
    private final double beta1, beta2, eps;

    PortableAdam(INDArray params, double beta1, double beta2, double eps) {
        this.params = params;
        long[] shape = params.shape();
        this.m = Nd4j.zeros(DataType.FLOAT, shape);
        this.v = Nd4j.zeros(DataType.FLOAT, shape);
        this.s = Nd4j.zeros(DataType.FLOAT, shape);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    /** One update from {@code grad} (overwritten); {@code t} is the 1-based step number. */
    void step(INDArray grad, double lr, int t) {
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        float stepSize = (float) (lr / bc1);
        float invSqrtBc2 = (float) (1.0 / Math.sqrt(bc2));
        float b1 = (float) beta1, b2 = (float) beta2, ob1 = (float) (1 - beta1), ob2 = (float) (1 - beta2), e = (float) eps;
        m.muli(b1).addi(s.assign(grad).muli(ob1));            // m = b1 m + (1-b1) g
        v.muli(b2).addi(s.assign(grad).muli(ob2).muli(grad)); // v = b2 v + (1-b2) g g
        Transforms.sqrt(s.assign(v), false).muli(invSqrtBc2).addi(e); // sqrt(v) / sqrt(bc2) + eps
        params.subi(grad.assign(m).muli(stepSize).divi(s));   // p -= (lr / bc1) m / denominator
    }
}
