package org.deepclustering.nn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OptimizerTest {
    /** The fused Adam follows torch.optim.Adam's formula (checked against a scalar double implementation). */
    @Test
    void fusedAdamMatchesPyTorchFormula() {
        int n = 70_000; // several chunks, parallel path
        SplittableRandom r = new SplittableRandom(5);
        float[] p0 = new float[n];
        for (int i = 0; i < n; i++) p0[i] = (float) r.nextGaussian();
        Blas.Buffer p = new Blas.Buffer(Nd4j.createFromArray(p0).reshape(1, n));
        Blas.Buffer g = new Blas.Buffer(n);
        Optimizer opt = new Optimizer(OptimizerConfig.adam(0.01), p.flat, p, g);
        double[] ref = new double[n], m = new double[n], v = new double[n];
        for (int i = 0; i < n; i++) ref[i] = p0[i];
        for (int t = 1; t <= 5; t++) {
            float[] gv = new float[n];
            for (int i = 0; i < n; i++) gv[i] = (float) (r.nextGaussian() * (i % 3 == 0 ? 1e-6 : 1.0));
            g.flat.assign(Nd4j.createFromArray(gv).reshape(1, n));
            opt.step(g.flat, 0);
            for (int i = 0; i < n; i++) {
                m[i] = 0.9 * m[i] + 0.1 * gv[i];
                v[i] = 0.999 * v[i] + 0.001 * gv[i] * gv[i];
                double mh = m[i] / (1 - Math.pow(0.9, t)), vh = v[i] / (1 - Math.pow(0.999, t));
                ref[i] -= 0.01 * mh / (Math.sqrt(vh) + 1e-8);
            }
        }
        float[] got = p.flat.data().asFloat();
        for (int i = 0; i < n; i += 7) assertEquals(ref[i], got[i], 2e-5, "parameter " + i);
    }

    @Test
    void classicMomentumAndDecay() {
        INDArray p = Nd4j.createFromArray(new float[]{1f, 2f}).reshape(1, 2);
        OptimizerConfig cfg = OptimizerConfig.builder().type(OptimizerConfig.Type.SGD_MOMENTUM).learningRate(0.1)
                .momentum(0.9).decayFactor(0.5).decayEveryEpochs(1).build();
        Optimizer opt = new Optimizer(cfg, p);
        opt.step(Nd4j.createFromArray(new float[]{1f, 1f}).reshape(1, 2), 0); // v = 0.1, p = 0.9
        opt.step(Nd4j.createFromArray(new float[]{1f, 1f}).reshape(1, 2), 1); // lr 0.05: v = 0.09 + 0.05
        assertEquals(1 - 0.1 - 0.14, p.getDouble(0), 1e-6);
        assertEquals(0.025, cfg.learningRateAt(2), 1e-12);
    }
}
