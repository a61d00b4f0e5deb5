package org.deepclustering.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.LeakyReLUBp;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.ThresholdReluBp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** In-place element-wise operations of the engine (ND4J ops on views). */
final class Ops {
    private Ops() {
    }

    /** Row-major view of {@code rows x cols} elements of a fresh (offset 0) float array, starting at {@code offset}. */
    static INDArray view(INDArray flat, long offset, long rows, long cols) {
        return Nd4j.create(flat.data(), new long[]{rows, cols}, new long[]{cols, 1}, offset, 'c', DataType.FLOAT);
    }

    /** a = act(a), in place. */
    static void activate(INDArray a, Activation act) {
        switch (act) {
            case RELU -> Transforms.relu(a, false);
            case LEAKY_RELU -> Transforms.leakyRelu(a, Activation.LEAKY_SLOPE, false);
            case TANH -> Transforms.tanh(a, false);
            case SIGMOID -> Transforms.sigmoid(a, false);
            case ELU -> Transforms.elu(a, false);
            case IDENTITY -> {
            }
        }
    }

    /** g *= act'(z), computed from the activation's output a = act(z); scratch has a's shape. */
    static void activationBackward(INDArray a, INDArray g, Activation act, INDArray scratch) {
        switch (act) {
            case RELU -> Nd4j.exec(new ThresholdReluBp(a, g, g, 0.0));
            case LEAKY_RELU -> Nd4j.exec(new LeakyReLUBp(a, g, g, Activation.LEAKY_SLOPE));
            case TANH -> { // 1 - a^2
                scratch.assign(a).muli(a).rsubi(1.0);
                g.muli(scratch);
            }
            case SIGMOID -> { // a (1 - a)
                scratch.assign(a).rsubi(1.0).muli(a);
                g.muli(scratch);
            }
            case ELU -> { // a > 0 ? 1 : a + 1  ==  min(a + 1, 1)
                scratch.assign(a).addi(1.0);
                Transforms.min(scratch, 1.0, false);
                g.muli(scratch);
            }
            case IDENTITY -> {
            }
        }
    }

    /**
     * Training-mode batch norm of the pre-activations z (B x out), in place, with the batch's statistics:
     * xhat = (z - mean) / sqrt(var + eps), z = gamma xhat + beta; the running mean and (unbiased) variance move by
     * {@code momentum}. Fills {@code xhat} (and uses {@code scratch}, both B x out); returns 1 / sqrt(var + eps) for
     * the backward pass.
     */
    static INDArray batchNormTrain(INDArray z, INDArray xhat, INDArray scratch, Autoencoder.Layer layer, double eps,
                                   double momentum) {
        long b = z.rows();
        INDArray mean = z.mean(0).reshape(1, layer.def.out());
        xhat.assign(z).subiRowVector(mean);
        scratch.assign(xhat).muli(xhat);
        INDArray var = scratch.mean(0).reshape(1, layer.def.out());
        INDArray invStd = Transforms.sqrt(var.add(eps), false).rdivi(1.0);
        xhat.muliRowVector(invStd);
        z.assign(xhat).muliRowVector(layer.gamma).addiRowVector(layer.beta);
        layer.runningMean.muli(1 - momentum).addi(mean.muli(momentum));
        double unbias = b > 1 ? (double) b / (b - 1) : 1.0;
        layer.runningVar.muli(1 - momentum).addi(var.muli(momentum * unbias));
        return invStd;
    }

    /**
     * Batch norm's backward to its input, in place on g (dL/d output, B x out), given the parameter gradients
     * dGamma = colsum(g * xhat) and dBeta = colsum(g) already computed:
     * dZ = gamma invStd (g - dBeta / B - xhat dGamma / B). Uses {@code scratch} (B x out).
     */
    static void batchNormInputGradient(INDArray g, INDArray xhat, INDArray scratch, INDArray dGamma, INDArray dBeta,
                                       INDArray gamma, INDArray invStd) {
        long b = g.rows();
        scratch.assign(xhat).muliRowVector(dGamma.div(b));
        g.subi(scratch).subiRowVector(dBeta.div(b)).muliRowVector(gamma.mul(invStd));
    }

    /** z = gamma (z - runningMean) / sqrt(runningVar + eps) + beta, in place. */
    static void batchNormInference(INDArray z, Autoencoder.Layer l, double eps) {
        INDArray scale = Transforms.sqrt(l.runningVar.add(eps), false).rdivi(1.0).muli(l.gamma);
        z.subiRowVector(l.runningMean).muliRowVector(scale).addiRowVector(l.beta);
    }
}
