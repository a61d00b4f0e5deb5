package org.deepclustering.nn;

import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where a pretraining epoch goes (docs/benchmarks.md): (1) the matrix products alone — the same sgemm calls the engine
 * makes for one epoch of the d-500-500-2000-10 autoencoder (forward, dW, dX per layer, batch 256) on fixed buffers,
 * in our weight layout (in x out) and in PyTorch's (out x in); (2) the engine's phases — forward, backward and optimizer
 * step of {@link AutoencoderTrainer} — timed separately over epochs of {@code n} random rows (or of an ARFF file's rows),
 * alternating epochs of {@code backward} then {@code step} with epochs of the fused {@code backwardAndStep} (the
 * optimizer time then counted in backward). Prints plain lines.
 *
 * <p>Usage: {@code java -cp 'core/target/deep-clustering.jar:core/target/lib/*' org.deepclustering.nn.EngineProfile [n=10000] [epochs=4]}
 */
public final class EngineProfile {
    private EngineProfile() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10000;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        String dataPath = args.length > 2 ? args[2] : null;
        boolean shuffle = args.length > 3 && Boolean.parseBoolean(args[3]);
        int d = 784, b = 256;
        NativeSetup.ensureConfigured();
        double batches = (double) n / b;
        int[][] layers = {{d, 500}, {500, 500}, {500, 2000}, {2000, 10}, {10, 2000}, {2000, 500}, {500, 500}, {500, d}};
        for (int rep = 0; rep < 2; rep++) {
            double[] t = new double[6];
            for (int[] l : layers) {
                int in = l[0], out = l[1];
                Blas.Buffer x = new Blas.Buffer((long) b * in), w = new Blas.Buffer((long) in * out);
                Blas.Buffer y = new Blas.Buffer((long) b * out), dw = new Blas.Buffer((long) in * out), dx = new Blas.Buffer((long) b * in);
                x.flat.assign(0.5);
                w.flat.assign(0.01);
                y.flat.assign(0.3);
                int reps = 20;
                for (int k = 0; k < 6; k++) {
                    long s = System.nanoTime();
                    for (int r = 0; r < reps; r++) {
                        switch (k) {
                            case 0 -> Blas.gemm(false, false, b, out, in, x.ptr(0), in, w.ptr(0), out, 0f, y.ptr(0), out);
                            case 1 -> Blas.gemm(true, false, in, out, b, x.ptr(0), in, y.ptr(0), out, 0f, dw.ptr(0), out);
                            case 2 -> Blas.gemm(false, true, b, in, out, y.ptr(0), out, w.ptr(0), out, 0f, dx.ptr(0), in);
                            case 3 -> Blas.gemm(false, true, b, out, in, x.ptr(0), in, w.ptr(0), in, 0f, y.ptr(0), out);
                            case 4 -> Blas.gemm(true, false, out, in, b, y.ptr(0), out, x.ptr(0), in, 0f, dw.ptr(0), in);
                            default -> Blas.gemm(false, false, b, in, out, y.ptr(0), out, w.ptr(0), in, 0f, dx.ptr(0), in);
                        }
                    }
                    t[k] += (System.nanoTime() - s) / 1e9 / reps * batches;
                }
            }
            System.out.printf(Locale.ROOT, "sgemm only, s/epoch: our layout forward %.3f dW %.3f dX %.3f total %.3f | "
                    + "PyTorch layout forward %.3f dW %.3f dX %.3f total %.3f%n", t[0], t[1], t[2], t[0] + t[1] + t[2], t[3], t[4],
                    t[5], t[3] + t[4] + t[5]);
        }
        INDArray data;
        try {
            data = dataPath == null ? Nd4j.rand(DataType.FLOAT, n, d)
                    : org.deepclustering.io.ArffReader.read(java.nio.file.Path.of(dataPath)).head(n).toINDArray().castTo(DataType.FLOAT).dup('c');
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Autoencoder ae = Autoencoder.create(d, AutoencoderConfig.defaults(), 1);
        AutoencoderTrainer trainer = new AutoencoderTrainer(ae, OptimizerConfig.adam(), b, 2);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        for (int e = 0; e < epochs; e++) {
            if (shuffle) Pretrainer.shuffle(order, rnd);
            boolean fused = e % 2 == 1; // alternate: backward then step (odd epochs), backwardAndStep (even)
            long forward = 0, backward = 0, step = 0;
            for (int from = 0; from < n; from += b) {
                long s0 = System.nanoTime();
                ForwardPass f = trainer.forwardRows(data, order, from, Math.min(n, from + b), true, true);
                long s1 = System.nanoTime();
                if (fused) trainer.backwardAndStep(f, 1.0, null, e);
                else trainer.backward(f, 1.0, null);
                long s2 = System.nanoTime();
                if (!fused) trainer.step(e);
                long s3 = System.nanoTime();
                forward += s1 - s0;
                backward += s2 - s1;
                step += s3 - s2;
            }
            System.out.printf(Locale.ROOT, "engine epoch %d (%s), s: forward %.3f backward %.3f optimizer step %.3f total %.3f%n",
                    e + 1, fused ? "backwardAndStep" : "backward, step", forward / 1e9, backward / 1e9, step / 1e9,
                    (forward + backward + step) / 1e9);
        }
    }
}
