package org.deepclustering.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Dense float32 data (n×d, row-major, in native memory) processed in row chunks with direct {@code cblas_sgemm}
 * calls on the INDArray's memory. Chunks are spread over a fixed number of {@link #LANES lanes}; every lane has its
 * own buffers and double accumulators and processes its chunks in a fixed order, and lanes are combined in lane
 * order, so results do not depend on the number of worker threads.
 *
 * <p>Not thread-safe; one engine per fit. Close it to release the native buffers and the worker threads.
 */
final class ChunkEngine implements AutoCloseable {

    static final int LANES = 4;
    static final int DEFAULT_CHUNK_ROWS = 256;

    /** Per-chunk callback: {@code dots} holds rows×m dot products of the chunk's rows with the m rows of B. */
    interface Kernel {
        void accept(Lane lane, int start, int rows, float[] dots);
    }

    final INDArray array; // keeps the native memory reachable
    final long address;
    final int n;
    final int d;
    final int chunkRows;
    final int numChunks;
    final float[] sqNorms;
    private final Lane[] lanes;
    private final int threads;
    private final ExecutorService pool;
    private volatile boolean stopRequested;
    private static final Object BLAS_LOCK = new Object();
    private static int blasUsers;
    private static int savedBlasThreads;

    ChunkEngine(INDArray data, int threads, int chunkRows) {
        if (data == null || data.rank() != 2) {
            throw new IllegalArgumentException("data must be a 2-D matrix (n×d), got "
                    + (data == null ? "null" : "rank " + data.rank()));
        }
        if (data.rows() < 1 || data.columns() < 1) {
            throw new IllegalArgumentException("data must have at least one row and one column");
        }
        INDArray a = data;
        if (a.dataType() != DataType.FLOAT) {
            a = a.castTo(DataType.FLOAT);
        }
        if (a.ordering() != 'c' || a.isView() || a.offset() != 0 || a.elementWiseStride() != 1) {
            a = a.dup('c');
        }
        this.array = a;
        // host code below reads the rows through the native pointer: make the host copy current (no-op on CPU)
        org.deepclustering.nn.NativeSetup.toHost(a);
        Pointer p = a.data().addressPointer();
        this.address = p.address() + p.position() * 4L;
        this.n = (int) a.rows();
        this.d = (int) a.columns();
        this.chunkRows = chunkRows;
        this.numChunks = (n + chunkRows - 1) / chunkRows;
        this.threads = Math.max(1, Math.min(threads, LANES));
        this.lanes = new Lane[LANES];
        for (int l = 0; l < LANES; l++) {
            lanes[l] = new Lane(l);
        }
        this.sqNorms = new float[n];
        float[] buf = new float[chunkRows * d];
        for (int c = 0; c < numChunks; c++) {
            int start = c * chunkRows;
            int rows = Math.min(chunkRows, n - start);
            rowsPointer(start, rows).get(buf, 0, rows * d);
            for (int i = 0; i < rows; i++) {
                float s = 0f;
                int off = i * d;
                for (int j = 0; j < d; j++) {
                    float v = buf[off + j];
                    s += v * v;
                }
                sqNorms[start + i] = s;
            }
        }
        if (this.threads > 1) {
            singleThreadedBlas(true);
            AtomicInteger counter = new AtomicInteger();
            pool = Executors.newFixedThreadPool(this.threads, r -> {
                Thread t = new Thread(r, "kmeans-worker-" + counter.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        } else {
            pool = null;
        }
    }

    /**
     * With several Java worker threads, OpenBLAS must not start its own threads as well (2 cores would be
     * oversubscribed): the first multi-threaded engine sets OpenBLAS to 1 thread (a process-wide setting) and the
     * last one to close restores the previous value.
     */
    private static void singleThreadedBlas(boolean enter) {
        synchronized (BLAS_LOCK) {
            if (enter) {
                if (blasUsers++ == 0) {
                    savedBlasThreads = org.bytedeco.openblas.presets.openblas_nolapack.blas_get_num_threads();
                    org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(1);
                }
            } else if (--blasUsers == 0) {
                org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(savedBlasThreads);
            }
        }
    }

    /** A view of {@code rows} rows starting at row {@code start} (no copy). */
    FloatPointer rowsPointer(long start, long rows) {
        return wrap(address + start * d * 4L, rows * d);
    }

    static FloatPointer wrap(long addr, long length) {
        return new FloatPointer((Pointer) null) {
            {
                this.address = addr;
                this.capacity = length;
                this.limit = length;
            }
        };
    }

    /** Copies row i into dst[off..off+d). */
    void row(int i, float[] dst, int off) {
        rowsPointer(i, 1).get(dst, off, d);
    }

    /** Mean over features of the per-feature variance (scikit-learn's scale of the tolerance). */
    double meanFeatureVariance() {
        double[] sum = new double[d];
        double[] sumSq = new double[d];
        float[] buf = new float[chunkRows * d];
        for (int c = 0; c < numChunks; c++) {
            int start = c * chunkRows;
            int rows = Math.min(chunkRows, n - start);
            rowsPointer(start, rows).get(buf, 0, rows * d);
            for (int i = 0; i < rows; i++) {
                int off = i * d;
                for (int j = 0; j < d; j++) {
                    double v = buf[off + j];
                    sum[j] += v;
                    sumSq[j] += v * v;
                }
            }
        }
        double total = 0;
        for (int j = 0; j < d; j++) {
            double mean = sum[j] / n;
            total += Math.max(0.0, sumSq[j] / n - mean * mean);
        }
        return total / d;
    }

    Lane lane(int l) {
        return lanes[l];
    }

    /**
     * For every chunk, dots = X_chunk · Bᵀ (B: m×d row-major, already in {@code b}), then the kernel. Lanes run in
     * parallel on the worker threads.
     */
    void pass(FloatPointer b, int m, Kernel kernel) {
        if (pool == null) {
            for (int l = 0; l < LANES; l++) {
                runLane(lanes[l], b, m, kernel);
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            final int first = t;
            futures.add(pool.submit(() -> {
                for (int l = first; l < LANES; l += threads) {
                    runLane(lanes[l], b, m, kernel);
                }
            }));
        }
        // Wait for every worker before returning, even when interrupted or when one of them failed: the caller frees
        // b (and may close this engine) as soon as pass returns, and a worker still inside cblas_sgemm would then read
        // freed memory (an interrupt during k-means crashed the JVM this way). The workers stop at their next chunk.
        boolean interrupted = false;
        Throwable failure = null;
        for (Future<?> f : futures) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    stopRequested = true;
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause();
                    }
                    stopRequested = true;
                    break;
                }
            }
        }
        stopRequested = false;
        if (interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    private void runLane(Lane lane, FloatPointer b, int m, Kernel kernel) {
        lane.ensureDots(m);
        for (int c = lane.index; c < numChunks; c += LANES) {
            if (pool != null && (stopRequested || Thread.currentThread().isInterrupted())) {
                return; // the caller was interrupted, another lane failed, or the engine is being closed
            }
            int start = c * chunkRows;
            int rows = Math.min(chunkRows, n - start);
            openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasTrans, rows, m, d,
                    1.0f, rowsPointer(start, rows), d, b, d, 0.0f, lane.dotsP, m);
            lane.dotsP.get(lane.dots, 0, rows * m);
            kernel.accept(lane, start, rows, lane.dots);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
            // Wait for the workers before freeing the lanes' native buffers: after an interrupt of the calling thread
            // they may still be inside cblas_sgemm on those buffers (freeing them first crashed the JVM).
            boolean interrupted = false;
            while (true) {
                try {
                    if (pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            singleThreadedBlas(false);
        }
        for (Lane l : lanes) {
            l.close();
        }
    }

    /** Buffers and accumulators of one lane. */
    final class Lane implements AutoCloseable {
        final int index;
        FloatPointer dotsP;
        float[] dots;
        private int dotsCols;
        // centroid accumulation
        double[] sums;
        long[] counts;
        double inertia;
        double[] pots;
        float[] rowBuf;

        Lane(int index) {
            this.index = index;
        }

        void ensureDots(int m) {
            if (dotsP == null || dotsCols < m) {
                if (dotsP != null) {
                    dotsP.close();
                }
                dotsCols = m;
                dotsP = new FloatPointer((long) chunkRows * m);
                dots = new float[chunkRows * m];
            }
        }

        void resetAccumulators(int k) {
            if (sums == null || counts.length != k) {
                rowBuf = new float[chunkRows * d];
                sums = new double[k * d];
                counts = new long[k];
            }
            java.util.Arrays.fill(sums, 0.0);
            java.util.Arrays.fill(counts, 0L);
            inertia = 0.0;
        }

        /**
         * sums[label] += x for the chunk's rows (one bulk copy of the chunk, still in cache after the GEMM; measured
         * about 10 % faster per Lloyd iteration than a second GEMM with a one-hot matrix, and summed in double).
         */
        void accumulate(int start, int rows, int[] labels) {
            rowsPointer(start, rows).get(rowBuf, 0, rows * d);
            for (int i = 0; i < rows; i++) {
                int base = labels[start + i] * d;
                int off = i * d;
                for (int q = 0; q < d; q++) {
                    sums[base + q] += rowBuf[off + q];
                }
            }
        }

        @Override
        public void close() {
            if (dotsP != null) {
                dotsP.close();
            }
        }
    }
}
