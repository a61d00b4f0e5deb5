package org.deepclustering.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One-time native configuration of ND4J and OpenBLAS for the training engine, without environment variables:
 * float32 default data type, one ND4J master thread, ND4J element-wise threads and OpenBLAS threads as measured
 * fastest on small machines (see docs-benchmark-notes.md). Idempotent and thread-safe; called by the engine.
 *
 * <p>System properties (read once): {@code deepclustering.blasThreads} (default: available processors) and
 * {@code deepclustering.nd4jThreads} (ND4J element-wise/OpenMP threads; default: available processors).
 */
public final class NativeSetup {
    private static final Logger LOG = LoggerFactory.getLogger(NativeSetup.class);
    private static volatile boolean configured;

    private NativeSetup() {
    }

    public static void ensureConfigured() {
        if (configured) return;
        synchronized (NativeSetup.class) {
            if (configured) return;
            int cores = Runtime.getRuntime().availableProcessors();
            int blas = Integer.getInteger("deepclustering.blasThreads", cores);
            int nd4j = Integer.getInteger("deepclustering.nd4jThreads", cores);
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
            Nd4j.getEnvironment().setMaxMasterThreads(1);
            Nd4j.getEnvironment().setMaxThreads(nd4j);
            // load OpenBLAS (shared with ND4J) and set its pool size after ND4J has started
            org.bytedeco.openblas.global.openblas.blas_set_num_threads(blas);
            LOG.debug("ND4J/OpenBLAS configured: float32, master threads 1, nd4j threads {}, OpenBLAS threads {} (was {})",
                    nd4j, blas, org.bytedeco.openblas.global.openblas.blas_get_num_threads());
            configured = true;
        }
    }
}
