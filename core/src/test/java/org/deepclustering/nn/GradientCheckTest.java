package org.deepclustering.nn;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** backward's parameter gradients versus central finite differences (float32, so tolerances are loose-ish). */
class GradientCheckTest {

    static INDArray randomData(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n * d];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble();
        return Nd4j.createFromArray(v).reshape(n, d);
    }

    private static double loss(AutoencoderTrainer t, INDArray x, double w, INDArray embGrad) {
        ForwardPass f = t.forward(x, true);
        double l = 0;
        if (w > 0) {
            INDArray diff = f.reconstruction().sub(x);
            l += w * diff.mul(diff).sumNumber().doubleValue() / diff.length();
        }
        if (embGrad != null) l += f.embedding().castTo(DataType.DOUBLE).mul(embGrad.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
        return l;
    }

    @ParameterizedTest
    @CsvSource({"TANH,false,1.0,false", "TANH,false,0.5,true", "TANH,false,0.0,true", "TANH,true,1.0,true",
            "SIGMOID,true,1.0,false", "RELU,false,1.0,true", "LEAKY_RELU,false,1.0,false", "ELU,false,1.0,true"})
    void gradientsMatchFiniteDifferences(Activation act, boolean bn, double w, boolean withEmbGrad) {
        AutoencoderConfig cfg = AutoencoderConfig.builder().hiddenWidths(16, 8).embeddingDim(3).activation(act).batchNorm(bn).build();
        Autoencoder ae = Autoencoder.create(20, cfg, 42);
        AutoencoderTrainer t = new AutoencoderTrainer(ae, OptimizerConfig.adam(), 12, 1);
        INDArray x = randomData(12, 20, 7);
        INDArray embGrad = withEmbGrad ? randomData(12, 3, 9).subi(0.5).muli(0.3) : null;

        ForwardPass f = t.forward(x, true);
        t.backward(f, w, embGrad);
        float[] analytic = t.gradients().dup().data().asFloat();

        INDArray p = ae.paramBuffer().flat;
        SplittableRandom r = new SplittableRandom(3);
        double h = (act == Activation.RELU || act == Activation.LEAKY_RELU) ? 1e-3 : 1e-2;
        int bad = 0, checked = 0;
        double maxAbs = 0;
        for (float a : analytic) maxAbs = Math.max(maxAbs, Math.abs(a));
        for (int k = 0; k < 150; k++) {
            int i = r.nextInt((int) p.length());
            float orig = p.getFloat(i);
            p.putScalar(i, orig + h);
            double lp = loss(t, x, w, embGrad);
            p.putScalar(i, orig - h);
            double lm = loss(t, x, w, embGrad);
            p.putScalar(i, orig);
            double fd = (lp - lm) / (2 * h);
            double err = Math.abs(fd - analytic[i]);
            checked++;
            if (err > 2e-3 * maxAbs + 0.03 * Math.abs(fd) + 2e-5) {
                bad++;
                System.err.printf("param %d analytic %.6g fd %.6g%n", i, analytic[i], fd);
            }
        }
        // ReLU-type kinks may make a few central differences wrong
        int allowed = (act == Activation.RELU || act == Activation.LEAKY_RELU) ? 4 : 1;
        assertTrue(bad <= allowed, bad + " of " + checked + " gradient entries disagree (max |g| " + maxAbs + ")");
        assertTrue(maxAbs > 0);
    }
}
