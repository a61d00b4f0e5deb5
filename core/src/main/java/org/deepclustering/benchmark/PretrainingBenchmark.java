package org.deepclustering.benchmark;

import org.deepclustering.io.ArffReader;
import org.deepclustering.nn.Autoencoder;
import org.deepclustering.nn.AutoencoderConfig;
import org.deepclustering.nn.NativeSetup;
import org.deepclustering.nn.OptimizerConfig;
import org.deepclustering.nn.Pretrainer;
import org.deepclustering.nn.PretrainingConfig;
import org.deepclustering.train.TrainingMonitor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pretraining speed versus the PyTorch reference, measured in one run, interleaved: {@code rounds} times (ours E
 * epochs, then PyTorch E epochs; the order alternates every round), so that a change in the machine's load hits both
 * sides alike. Both sides do the same work: the d-500-500-2000-10 autoencoder ({@code torch_ref.AE} on the PyTorch
 * side, 1 torch thread + 2 OpenBLAS threads, its best layout on 2 cores) trained on the same data, reshuffled every
 * epoch, batch 256, Adam 1e-3, MSE. Reports the medians over all timed epochs, the minima (the least disturbed epochs),
 * the median of the per-round ratios (the most robust figure on a shared machine) and both final reconstruction losses
 * (equivalent training). Prints one JSON line on stdout. Arguments (all optional, key=value): data=PATH
 * (mnist-10k.arff.gz), ref=DIR (shared/reference/pytorch), warmup=W (1), epochs=E (4), rounds=R (3),
 * python=/usr/bin/python3, seed=S (0).
 */
public final class PretrainingBenchmark {
    private PretrainingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String data = "/work/shared/data/mnist-10k.arff.gz";
        String ref = "/work/shared/reference/pytorch";
        String python = "/usr/bin/python3";
        int warmup = 1, epochs = 4, rounds = 3;
        long seed = 0;
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "data" -> data = kv[1];
                case "ref" -> ref = kv[1];
                case "python" -> python = kv[1];
                case "warmup" -> warmup = Integer.parseInt(kv[1]);
                case "epochs" -> epochs = Integer.parseInt(kv[1]);
                case "rounds" -> rounds = Integer.parseInt(kv[1]);
                case "seed" -> seed = Long.parseLong(kv[1]);
                default -> throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        NativeSetup.ensureConfigured();
        INDArray x = readDenseArff(Path.of(data));
        System.err.printf(Locale.ROOT, "data %s: %d x %d%n", data, x.rows(), x.columns());

        if (epochs <= 0 || rounds <= 0) throw new IllegalArgumentException("epochs and rounds must be positive");
        // warm-up (JIT, native pools), then timed epochs, interleaved with torch
        run(x, warmup, seed + 1);
        double[] all = new double[0], torch = new double[0], roundRatios = new double[rounds];
        double finalLoss = Double.NaN, torchFinalLoss = Double.NaN;
        for (int r = 0; r < rounds; r++) {
            Result ours, theirs;
            if (r % 2 == 0) {
                ours = run(x, epochs, seed);
                theirs = runTorchTraining(python, ref, data, epochs, seed);
            } else {
                theirs = runTorchTraining(python, ref, data, epochs, seed);
                ours = run(x, epochs, seed);
            }
            System.err.println("round " + (r + 1) + " ours: " + ours + "; torch: " + theirs);
            all = concat(all, ours.times);
            torch = concat(torch, theirs.times);
            roundRatios[r] = median(ours.times) / median(theirs.times);
            finalLoss = ours.finalLoss;
            torchFinalLoss = theirs.finalLoss;
        }

        double oursMedian = median(all);
        double torchMedian = median(torch);
        StringBuilder sb = new StringBuilder("{");
        sb.append(String.format(Locale.ROOT, "\"benchmark\":\"pretraining-epoch\",\"data\":\"%s\",\"n\":%d,\"d\":%d,",
                Path.of(data).getFileName(), x.rows(), x.columns()));
        sb.append(String.format(Locale.ROOT, "\"arch\":\"d-500-500-2000-10\",\"batch\":256,\"optimizer\":\"adam-1e-3\",\"epochs\":%d,\"rounds\":%d,", epochs, rounds));
        sb.append(String.format(Locale.ROOT, "\"ours_s_per_epoch\":%.4f,\"torch_s_per_epoch\":%.4f,\"ratio\":%.3f,",
                oursMedian, torchMedian, oursMedian / torchMedian));
        sb.append(String.format(Locale.ROOT, "\"ours_min_s_per_epoch\":%.4f,\"torch_min_s_per_epoch\":%.4f,\"ratio_of_minima\":%.3f,",
                min(all), min(torch), min(all) / min(torch)));
        sb.append(String.format(Locale.ROOT, "\"median_round_ratio\":%.3f,\"round_ratios\":%s,", median(roundRatios), fmt(roundRatios)));
        sb.append("\"ours_epochs\":").append(fmt(all)).append(",\"torch_epochs\":").append(fmt(torch)).append(',');
        sb.append(String.format(Locale.ROOT, "\"ours_final_mse\":%.6f,\"torch_final_mse\":%.6f", finalLoss, torchFinalLoss));
        sb.append(String.format(Locale.ROOT, ",\"blas_threads\":%s,\"nd4j_threads\":%s,\"cores\":%d}",
                System.getProperty("deepclustering.blasThreads", "\"default\""),
                System.getProperty("deepclustering.nd4jThreads", "\"default\""),
                Runtime.getRuntime().availableProcessors()));
        System.out.println(sb);
    }

    record Result(double[] times, double finalLoss) {
        @Override
        public String toString() {
            return "s/epoch " + Arrays.toString(times) + " final MSE " + finalLoss;
        }
    }

    private static Result run(INDArray x, int epochs, long seed) {
        if (epochs <= 0) return new Result(new double[0], Double.NaN);
        PretrainingConfig pc = PretrainingConfig.builder().epochs(epochs).batchSize(256).optimizer(OptimizerConfig.adam(1e-3)).build();
        double[] times = new double[epochs];
        double[] loss = {Double.NaN};
        long[] t0 = {System.nanoTime()};
        TrainingMonitor mon = TrainingMonitor.of(e -> {
            long now = System.nanoTime();
            times[e.epoch() - 1] = (now - t0[0]) / 1e9;
            t0[0] = now;
            loss[0] = e.losses().get("reconstruction");
        });
        Autoencoder ae = Autoencoder.create((int) x.columns(), AutoencoderConfig.defaults(), seed);
        t0[0] = System.nanoTime();
        new Pretrainer(AutoencoderConfig.defaults(), pc).pretrain(x, ae, seed, mon);
        return new Result(times, loss[0]);
    }

    /** Trains torch_ref.AE on the same data (reshuffled every epoch, batch 256, Adam 1e-3): s/epoch and final MSE. */
    private static Result runTorchTraining(String python, String ref, String data, int epochs, long seed)
            throws IOException, InterruptedException {
        String script = String.join("\n",
                "import os, sys, time, json",
                "sys.path.insert(0, sys.argv[1])",
                "import torch_ref, torch, numpy as np, torch.nn.functional as F",
                "from arffio import read_arff",
                "torch.set_num_threads(1); torch.manual_seed(int(sys.argv[4]))",
                "X = torch.from_numpy(read_arff(sys.argv[2])['X'].astype(np.float32)); n = len(X)",
                "m = torch_ref.AE(X.shape[1]); opt = torch.optim.Adam(m.parameters(), 1e-3)",
                "g = torch.Generator().manual_seed(int(sys.argv[4])); times = []; losses = []",
                "for ep in range(int(sys.argv[3])):",
                "    t0 = time.time(); perm = torch.randperm(n, generator=g); tot = 0.0",
                "    for i in range(0, n, 256):",
                "        xb = X[perm[i:i + 256]]; _, xr = m(xb); loss = F.mse_loss(xr, xb)",
                "        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(xb)",
                "    times.append(time.time() - t0); losses.append(tot / n)",
                "print('RESULT ' + json.dumps({'times': times, 'losses': losses}), flush=True)");
        ProcessBuilder pb = new ProcessBuilder(python, "-c", script, ref, data, Integer.toString(epochs), Long.toString(seed));
        pb.environment().put("OPENBLAS_NUM_THREADS", "2");
        String out = runProcess(pb);
        Matcher m = Pattern.compile("RESULT \\{\"times\": \\[([^\\]]*)\\], \"losses\": \\[([^\\]]*)\\]").matcher(out);
        if (!m.find()) throw new IOException("cannot parse torch training output: " + out);
        double[] times = Arrays.stream(m.group(1).split(",")).mapToDouble(s -> Double.parseDouble(s.trim())).toArray();
        double[] losses = Arrays.stream(m.group(2).split(",")).mapToDouble(s -> Double.parseDouble(s.trim())).toArray();
        return new Result(times, losses[losses.length - 1]);
    }

    private static String runProcess(ProcessBuilder pb) throws IOException, InterruptedException {
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0) throw new IOException("process failed (" + rc + "): " + out);
        return out;
    }

    /** The feature matrix of an ARFF file (class attribute dropped), float32, c-ordered. */
    static INDArray readDenseArff(Path path) throws IOException {
        return ArffReader.read(path).toINDArray().castTo(DataType.FLOAT).dup('c');
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : (n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]));
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) sb.append(i > 0 ? "," : "").append(String.format(Locale.ROOT, "%.3f", v[i]));
        return sb.append(']').toString();
    }
}
