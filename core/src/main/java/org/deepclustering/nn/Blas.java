package org.deepclustering.nn;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Direct OpenBLAS calls on raw pointers of engine-owned float32 buffers (row-major). */
final class Blas {
    private static final int ROW_MAJOR = openblas.CblasRowMajor;
    private static final int NO_TRANS = openblas.CblasNoTrans;
    private static final int TRANS = openblas.CblasTrans;

    private Blas() {
    }

    /** C(M x N) = op(A) op(B) + beta C, row-major, leading dimensions as stored. */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, FloatPointer a, int lda, FloatPointer b, int ldb,
                     float beta, FloatPointer c, int ldc) {
        openblas.cblas_sgemm(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, 1f, a, lda, b, ldb,
                beta, c, ldc);
    }

    /**
     * Y(rows x N) = X(rows x K) B(K x N) for a handful of rows, as one {@code sgemv} per row: for a single row OpenBLAS's
     * sgemm still packs all of B first and took 160-175 us for a 784 x 500 layer here, sgemv 20-23 us.
     */
    static void rowsTimesMatrix(int rows, int n, int k, FloatPointer x, FloatPointer b, FloatPointer y) {
        for (int r = 0; r < rows; r++) {
            FloatPointer xr = new FloatPointer(x).position(x.position() + (long) r * k);
            FloatPointer yr = new FloatPointer(y).position(y.position() + (long) r * n);
            openblas.cblas_sgemv(ROW_MAJOR, TRANS, k, n, 1f, b, n, xr, 1, 0f, yr, 1);
        }
    }

    /** y(N) = column sums of A(M x N) = A^T ones(M). */
    static void columnSums(int m, int n, FloatPointer a, FloatPointer onesM, FloatPointer y) {
        openblas.cblas_sgemv(ROW_MAJOR, TRANS, m, n, 1f, a, n, onesM, 1, 0f, y, 1);
    }

    /** C(M x N) += ones(M) bias(N)^T, i.e. adds the bias row to every row (rank-1 update, sger). */
    static void addRowVector(int m, int n, FloatPointer onesM, FloatPointer bias, FloatPointer c) {
        openblas.cblas_sger(ROW_MAJOR, m, n, 1f, onesM, 1, bias, 1, c, n);
    }

    /** Sum of squares with double accumulation. */
    static double sumSquares(int n, FloatPointer x) {
        return openblas.cblas_dsdot(n, x, 1, x, 1);
    }

    /**
     * A float32 buffer owned by the engine: a fresh ND4J array (buffer offset 0) plus its base address, so that
     * pointers and ND4J views at element offsets refer to the same memory.
     */
    static final class Buffer {
        final INDArray flat;
        private FloatPointer base; // host address, taken on first use (only the CPU engine uses pointers)

        Buffer(long length) {
            this(Nd4j.create(DataType.FLOAT, 1, Math.max(1, length)));
        }

        Buffer(INDArray freshFlat) {
            if (freshFlat.dataType() != DataType.FLOAT) {
                throw new IllegalArgumentException("need a float32 array");
            }
            this.flat = freshFlat;
        }

        FloatPointer ptr(long offset) {
            if (base == null) base = new FloatPointer(flat.data().addressPointer());
            return new FloatPointer(base).position(base.position() + offset);
        }

        /** Row-major view of {@code rows x cols} elements starting at {@code offset}. */
        INDArray view(long offset, long rows, long cols) {
            return Ops.view(flat, offset, rows, cols);
        }
    }
}
