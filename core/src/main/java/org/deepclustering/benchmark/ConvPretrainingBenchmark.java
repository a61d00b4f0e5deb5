package org.deepclustering.benchmark;

import org.deepclustering.nn.Autoencoder;
import org.deepclustering.nn.AutoencoderConfig;
import org.deepclustering.nn.NativeSetup;
import org.deepclustering.nn.OptimizerConfig;
import org.deepclustering.nn.Pretrainer;
import org.deepclustering.nn.PretrainingConfig;
import org.deepclustering.train.TrainingMonitor;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Pretraining speed of DEKM's convolutional autoencoder (conv 32-64-128, kernels 5-5-3, stride 2, embedding 10) on
 * MNIST rows (28x28x1, pixels in [0,1] as stored), batch 256, Adam 1e-3. Prints one JSON line on stdout.
 * Arguments (optional, key=value): data=PATH (mnist-10k.arff.gz), rows=N (all), warmup=W (1), epochs=E (3), seed=S (0).
 */
public final class ConvPretrainingBenchmark {
    private ConvPretrainingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String data = "/work/shared/data/mnist-10k.arff.gz";
        int warmup = 1, epochs = 3, rows = Integer.MAX_VALUE;
        long seed = 0;
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "data" -> data = kv[1];
                case "rows" -> rows = Integer.parseInt(kv[1]);
                case "warmup" -> warmup = Integer.parseInt(kv[1]);
                case "epochs" -> epochs = Integer.parseInt(kv[1]);
                case "seed" -> seed = Long.parseLong(kv[1]);
                default -> throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        NativeSetup.ensureConfigured();
        INDArray x = PretrainingBenchmark.readDenseArff(Path.of(data));
        if (x.rows() > rows) x = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, rows), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup('c');
        // mnist-10k.arff.gz pixels are already in [0, 1] (as DEC/DEKM use them)
        AutoencoderConfig cfg = AutoencoderConfig.builder().imageShape(28, 28, 1).embeddingDim(10).build();
        if (warmup > 0) run(x, cfg, warmup, seed + 1);
        double[] result = run(x, cfg, epochs, seed);
        double[] times = Arrays.copyOf(result, epochs);
        double[] sorted = times.clone();
        Arrays.sort(sorted);
        System.out.println(String.format(Locale.ROOT,
                "{\"benchmark\":\"conv-pretraining-epoch\",\"n\":%d,\"arch\":\"conv32-64-128(k5,5,3,s2)-10\",\"batch\":256,"
                        + "\"optimizer\":\"adam-1e-3\",\"s_per_epoch_median\":%.3f,\"epochs\":%s,\"final_mse\":%.5f,\"cores\":%d}",
                x.rows(), sorted[sorted.length / 2], Arrays.toString(times), result[epochs],
                Runtime.getRuntime().availableProcessors()));
    }

    /** CPU time of the whole process (all threads), ns. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Epoch times followed by the final epoch's mean reconstruction loss. */
    private static double[] run(INDArray x, AutoencoderConfig cfg, int epochs, long seed) {
        double[] out = new double[epochs + 1];
        long[] t0 = {System.nanoTime(), cpuNanos()};
        TrainingMonitor mon = TrainingMonitor.of(e -> {
            long now = System.nanoTime();
            long cpu = cpuNanos();
            out[e.epoch() - 1] = (now - t0[0]) / 1e9;
            System.err.printf(Locale.ROOT, "epoch %d: %.2f s wall, %.2f s process CPU, loss %.5f%n", e.epoch(),
                    out[e.epoch() - 1], (cpu - t0[1]) / 1e9, e.losses().get("reconstruction"));
            t0[0] = now;
            t0[1] = cpu;
            out[epochs] = e.losses().get("reconstruction");
        });
        PretrainingConfig pc = PretrainingConfig.builder().epochs(epochs).batchSize(256).optimizer(OptimizerConfig.adam(1e-3)).build();
        Autoencoder ae = Autoencoder.create((int) x.columns(), cfg, seed);
        t0[0] = System.nanoTime();
        t0[1] = cpuNanos();
        new Pretrainer(cfg, pc).pretrain(x, ae, seed, mon);
        return out;
    }
}
