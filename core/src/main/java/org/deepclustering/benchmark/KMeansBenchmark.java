package org.deepclustering.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.deepclustering.cluster.KMeans;
import org.deepclustering.cluster.KMeansResult;
import org.deepclustering.metrics.ClusteringScores;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times {@link KMeans} against scikit-learn's {@code KMeans} on the same data, in the same run, and prints one JSON
 * line. Usage: {@code KMeansBenchmark [arff(.gz)] [k] [nInit] [seed] [threads] [python]}; defaults
 * {@code /work/shared/data/mnist-70k.arff.gz 10 10 0 2 /usr/bin/python3}.
 */
public final class KMeansBenchmark {

    private static final int FIXED_ITERATIONS = 50;

    private KMeansBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String file = args.length > 0 ? args[0] : "/work/shared/data/mnist-70k.arff.gz";
        int k = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int nInit = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 0L;
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        String python = args.length > 5 ? args[5] : "/usr/bin/python3";
        PrintStream out = System.out;

        long t0 = System.nanoTime();
        Dense data = readDenseArff(Paths.get(file));
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        INDArray x = Nd4j.create(data.values, new long[] {data.rows, data.cols}, 'c');

        // scikit-learn first (so that our run cannot warm its caches), on the same float32 values
        Path dir = Files.createTempDirectory("kmeans-bench");
        Path raw = dir.resolve("x.f32");
        writeFloats(raw, data.values);
        Path labelsFile = dir.resolve("labels.i32");
        String script = String.join("\n",
                "import json, sys, time, numpy as np",
                "from sklearn.cluster import KMeans",
                "n, d, k, n_init, seed = " + data.rows + ", " + data.cols + ", " + k + ", " + nInit + ", " + seed,
                "X = np.fromfile(sys.argv[1], dtype='<f4').reshape(n, d)",
                "t = time.perf_counter()",
                "km = KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit(X)",
                "s = time.perf_counter() - t",
                "km.labels_.astype('<i4').tofile(sys.argv[2])",
                "t = time.perf_counter()",
                "fixed = KMeans(n_clusters=k, init=X[:k], n_init=1, max_iter=" + FIXED_ITERATIONS
                        + ", tol=0.0).fit(X)",
                "fs = time.perf_counter() - t",
                "import sklearn",
                "try:",
                "    import threadpoolctl",
                "    pools = [{'api': i.get('internal_api'), 'version': i.get('version'),"
                        + " 'architecture': i.get('architecture'), 'threads': i.get('num_threads')}"
                        + " for i in threadpoolctl.threadpool_info()]",
                "except Exception as e:",
                "    pools = str(e)",
                "print(json.dumps({'seconds': s, 'inertia': float(km.inertia_), 'iterations': int(km.n_iter_),"
                        + " 'fixedInitSeconds': fs, 'fixedInitIterations': int(fixed.n_iter_),"
                        + " 'fixedInitInertia': float(fixed.inertia_), 'version': sklearn.__version__,"
                        + " 'threadpools': pools}))");
        ProcessBuilder pb = new ProcessBuilder(python, "-c", script, raw.toString(), labelsFile.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        // Some machines set OPENBLAS_CORETYPE (and OPENBLAS_L2_SIZE) to work around old OpenBLAS builds; they force a
        // slower kernel on a current numpy. Unset both for the numpy side only (the JSON records the kernel it ran).
        pb.environment().remove("OPENBLAS_CORETYPE");
        pb.environment().remove("OPENBLAS_L2_SIZE");
        Process p = pb.start();
        String skJson;
        try (InputStream in = p.getInputStream()) {
            skJson = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("scikit-learn run failed: " + skJson);
        }
        double skSeconds = jsonNumber(skJson, "seconds");
        double skInertia = jsonNumber(skJson, "inertia");
        int[] skLabels = readInts(labelsFile, data.rows);

        KMeans km = KMeans.builder().k(k).nInit(nInit).seed(seed).threads(threads).build();
        long t1 = System.nanoTime();
        KMeansResult r = km.fit(x);
        double ourSeconds = (System.nanoTime() - t1) / 1e9;

        // per-iteration cost: one Lloyd run from the same initial centres (the first k rows), tolerance 0
        KMeans fixed = KMeans.builder().k(k).tolerance(0.0).maxIterations(FIXED_ITERATIONS).threads(threads).build();
        INDArray init = Nd4j.create(Arrays.copyOf(data.values, k * data.cols), new long[] {k, data.cols}, 'c');
        long t2 = System.nanoTime();
        KMeansResult rf = fixed.fit(x, init);
        double ourFixedSeconds = (System.nanoTime() - t2) / 1e9;
        double skFixedSeconds = jsonNumber(skJson, "fixedInitSeconds");
        double skFixedIterations = jsonNumber(skJson, "fixedInitIterations");
        double ourMsPerIteration = 1000 * ourFixedSeconds / rf.iterations();
        double skMsPerIteration = 1000 * skFixedSeconds / skFixedIterations;

        ClusteringScores ours = ClusteringScores.of(data.labels, r.labels());
        ClusteringScores sk = ClusteringScores.of(data.labels, skLabels);
        Files.deleteIfExists(raw);
        Files.deleteIfExists(labelsFile);
        Files.deleteIfExists(dir);
        out.println(String.format(Locale.ROOT,
                "{\"data\":\"%s\",\"n\":%d,\"d\":%d,\"k\":%d,\"nInit\":%d,\"threads\":%d,\"loadSeconds\":%.2f,"
                        + "\"oursSeconds\":%.3f,\"sklearnSeconds\":%.3f,\"ratio\":%.3f,"
                        + "\"oursInertia\":%.6g,\"sklearnInertia\":%.6g,\"oursIterations\":%d,"
                        + "\"oursAcc\":%.4f,\"oursNmi\":%.4f,\"sklearnAcc\":%.4f,\"sklearnNmi\":%.4f,"
                        + "\"fixedInit\":{\"oursIterations\":%d,\"oursMsPerIteration\":%.1f,"
                        + "\"sklearnMsPerIteration\":%.1f,\"ratio\":%.3f,\"oursInertia\":%.6g},"
                        + "\"oursOpenblasCoretype\":\"%s\",\"sklearn\":%s}",
                file, data.rows, data.cols, k, nInit, threads, loadSeconds, ourSeconds, skSeconds,
                ourSeconds / skSeconds, r.inertia(), skInertia, r.iterations(), ours.acc(), ours.nmi(), sk.acc(),
                sk.nmi(), rf.iterations(), ourMsPerIteration, skMsPerIteration, ourMsPerIteration / skMsPerIteration,
                rf.inertia(), System.getenv().getOrDefault("OPENBLAS_CORETYPE", "auto"), skJson));
    }

    private static double jsonNumber(String json, String key) {
        int i = json.indexOf("\"" + key + "\"");
        if (i < 0) {
            throw new IllegalStateException("no " + key + " in " + json);
        }
        int s = json.indexOf(':', i) + 1;
        int e = s;
        while (e < json.length() && ",}".indexOf(json.charAt(e)) < 0) {
            e++;
        }
        return Double.parseDouble(json.substring(s, e).trim());
    }

    private static void writeFloats(Path path, float[] values) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            int i = 0;
            while (i < values.length) {
                buf.clear();
                while (i < values.length && buf.remaining() >= 4) {
                    buf.putFloat(values[i++]);
                }
                buf.flip();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        }
    }

    private static int[] readInts(Path path, int n) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = b.getInt();
        }
        return a;
    }

    /** Dense data: row-major values and the class index (position in the nominal declaration) of every row. */
    record Dense(float[] values, int rows, int cols, int[] labels) {
    }

    /**
     * Minimal dense ARFF reader (gzip if the name ends in .gz): numeric attributes, then a nominal class attribute
     * last; {@code %} comments, case-insensitive keywords, no missing values, no sparse rows, no quoting.
     */
    static Dense readDenseArff(Path path) throws IOException {
        InputStream in = Files.newInputStream(path);
        if (path.toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            List<String> classValues = null;
            int attributes = 0;
            String line;
            while ((line = r.readLine()) != null) {
                String t = line.trim();
                if (t.isEmpty() || t.startsWith("%")) {
                    continue;
                }
                String lower = t.toLowerCase(Locale.ROOT);
                if (lower.startsWith("@attribute")) {
                    attributes++;
                    int brace = t.indexOf('{');
                    if (brace >= 0) {
                        classValues = new ArrayList<>();
                        for (String v : t.substring(brace + 1, t.lastIndexOf('}')).split(",")) {
                            classValues.add(unquote(v.trim()));
                        }
                    } else {
                        classValues = null;
                    }
                } else if (lower.startsWith("@data")) {
                    break;
                }
            }
            if (classValues == null) {
                throw new IOException("last attribute of " + path + " is not nominal");
            }
            int cols = attributes - 1;
            float[] values = new float[cols * 1024];
            int[] labels = new int[1024];
            int rows = 0;
            while ((line = r.readLine()) != null) {
                String t = line.trim();
                if (t.isEmpty() || t.startsWith("%")) {
                    continue;
                }
                if ((long) (rows + 1) * cols > values.length) {
                    values = Arrays.copyOf(values, (int) Math.min(Integer.MAX_VALUE - 8, 2L * values.length));
                    labels = Arrays.copyOf(labels, labels.length * 2);
                }
                int pos = 0;
                int base = rows * cols;
                for (int j = 0; j < cols; j++) {
                    int comma = t.indexOf(',', pos);
                    if (comma < 0) {
                        throw new IOException("row " + (rows + 1) + " has too few values");
                    }
                    values[base + j] = parseFloat(t, pos, comma);
                    pos = comma + 1;
                }
                String cls = unquote(t.substring(pos).trim());
                int idx = classValues.indexOf(cls);
                if (idx < 0) {
                    throw new IOException("unknown class value '" + cls + "' in row " + (rows + 1));
                }
                labels[rows++] = idx;
            }
            return new Dense(Arrays.copyOf(values, rows * cols), rows, cols, Arrays.copyOf(labels, rows));
        }
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"') && s.charAt(s.length() - 1) == s.charAt(0)) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    /** Fast path for plain decimals (digits, optional sign and point); anything else goes to Float.parseFloat. */
    private static float parseFloat(String s, int from, int to) {
        while (from < to && s.charAt(from) == ' ') {
            from++;
        }
        while (to > from && s.charAt(to - 1) == ' ') {
            to--;
        }
        boolean neg = false;
        int i = from;
        if (i < to && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        long mant = 0;
        int scale = 0;
        boolean point = false;
        int digits = 0;
        for (; i < to; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (digits >= 17) {
                    return Float.parseFloat(s.substring(from, to));
                }
                mant = mant * 10 + (c - '0');
                if (mant != 0) {
                    digits++;
                }
                if (point) {
                    scale++;
                }
            } else if (c == '.' && !point) {
                point = true;
            } else {
                return Float.parseFloat(s.substring(from, to));
            }
        }
        double v = scale == 0 ? mant : mant / Math.pow(10, scale);
        return (float) (neg ? -v : v);
    }
}
