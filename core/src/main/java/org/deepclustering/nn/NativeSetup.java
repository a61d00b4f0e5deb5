package org.deepclustering.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One-time native configuration of ND4J (and, on the CPU backend, OpenBLAS) for the training engine, without
 * environment variables: float32 default data type, one ND4J master thread, ND4J element-wise threads and OpenBLAS
 * threads as measured fastest on small machines (see docs-benchmark-notes.md). Idempotent and thread-safe; called by
 * the engine and wherever the library first touches ND4J.
 *
 * <p>If no ND4J backend can be loaded (e.g. the CUDA build on a machine without an NVIDIA driver/GPU, or missing
 * native libraries), {@link #ensureConfigured()} throws an {@link IllegalStateException} that names the backend of this
 * build, what is missing and what to do, instead of ND4J's raw {@code NoAvailableBackendException}.
 *
 * <p>System properties (read once): {@code deepclustering.blasThreads} (default: available processors),
 * {@code deepclustering.nd4jThreads} (ND4J element-wise/OpenMP threads; default: available processors) and
 * {@code deepclustering.engine} (see {@link Engine}).
 */
public final class NativeSetup {
    private static final Logger LOG = LoggerFactory.getLogger(NativeSetup.class);
    static final String CUDA_BACKEND_CLASS = "org.nd4j.linalg.jcublas.JCublasBackend";
    static final String CPU_BACKEND_CLASS = "org.nd4j.linalg.cpu.nativecpu.CpuBackend";
    private static volatile boolean configured;
    private static volatile boolean cpuBackend = true;
    private static volatile IllegalStateException failure;

    private NativeSetup() {
    }

    public static void ensureConfigured() {
        if (configured) return;
        synchronized (NativeSetup.class) {
            if (configured) return;
            if (failure != null) throw failure; // ND4J's class initialisation fails only once; keep the clear message
            boolean cpu;
            try {
                cpu = Nd4j.getEnvironment().isCPU();
            } catch (Throwable t) { // NoAvailableBackendException inside ExceptionInInitializerError / NoClassDefFoundError
                failure = backendUnavailable(buildBackend(), t);
                throw failure;
            }
            int cores = Runtime.getRuntime().availableProcessors();
            int nd4j = Integer.getInteger("deepclustering.nd4jThreads", cores);
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
            Nd4j.getEnvironment().setMaxMasterThreads(1);
            if (cpu) {
                int blas = Integer.getInteger("deepclustering.blasThreads", cores);
                Nd4j.getEnvironment().setMaxThreads(nd4j);
                // load OpenBLAS (shared with ND4J) and set its pool size after ND4J has started
                org.bytedeco.openblas.global.openblas.blas_set_num_threads(blas);
                LOG.debug("ND4J/OpenBLAS configured: float32, master threads 1, nd4j threads {}, OpenBLAS threads {} (was {})",
                        nd4j, blas, org.bytedeco.openblas.global.openblas.blas_get_num_threads());
            } else {
                LOG.info("ND4J backend {} (not the CPU backend): float32, master threads 1; training uses the portable "
                        + "ND4J engine", Nd4j.getBackend().getClass().getSimpleName());
            }
            cpuBackend = cpu;
            configured = true;
        }
    }

    /** Whether the loaded ND4J backend is the CPU one (nd4j-native); configures ND4J first. */
    public static boolean isCpuBackend() {
        ensureConfigured();
        return cpuBackend;
    }

    /** The ND4J backend this build ships, from the class path: "CUDA 11.6 (nd4j-cuda-11.6)" or "CPU (nd4j-native)". */
    public static String buildBackend() {
        if (hasClass(CUDA_BACKEND_CLASS)) return "CUDA 11.6 (nd4j-cuda-11.6)";
        if (hasClass(CPU_BACKEND_CLASS)) return "CPU (nd4j-native)";
        return "none (neither nd4j-native nor nd4j-cuda-11.6 is on the class path)";
    }

    private static boolean hasClass(String name) {
        try {
            Class.forName(name, false, NativeSetup.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * The exception thrown when no ND4J backend loads: which backend the build has, what is missing and what to do.
     * Package-private for tests.
     */
    static IllegalStateException backendUnavailable(String buildBackend, Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String missing;
        String todo;
        if (buildBackend.startsWith("CUDA")) {
            missing = "no usable CUDA 11.6 driver/GPU found (needs an NVIDIA GPU, a driver for CUDA >= 11.6, and the CUDA "
                    + "11.6 runtime + cuDNN 8 libraries or the org.bytedeco cuda-platform-redist jars)";
            todo = "run on a machine with an NVIDIA GPU and CUDA 11.6, or use the CPU build (built without -Pcuda; "
                    + "the Weka package DeepClustering instead of DeepClusteringCUDA); see docs/gpu.md";
        } else if (buildBackend.startsWith("CPU")) {
            missing = "the nd4j-native/OpenBLAS native libraries for this platform could not be loaded (javacpp platform "
                    + System.getProperty("org.bytedeco.javacpp.platform", "auto-detected") + ", os.arch "
                    + System.getProperty("os.arch") + ")";
            todo = "use a build whose javacpp.platform matches this machine (e.g. -Djavacpp.platform=linux-x86_64) "
                    + "and check that the native jars are on the class path; see docs/gpu.md";
        } else {
            missing = "no ND4J backend jar on the class path";
            todo = "add nd4j-native (CPU) or nd4j-cuda-11.6 (GPU, -Pcuda) with its platform classifier; see docs/gpu.md";
        }
        return new IllegalStateException("No ND4J backend could be loaded. This build's backend: " + buildBackend
                + ". Missing: " + missing + ". What to do: " + todo + ". (Cause: " + root + ")", cause);
    }

    /**
     * Makes the host copy of {@code a} current before host code reads it through its native pointer (a no-op on the CPU
     * backend; on CUDA it copies device data back).
     */
    public static INDArray toHost(INDArray a) {
        if (!cpuBackend) Nd4j.getAffinityManager().ensureLocation(a, AffinityManager.Location.HOST);
        return a;
    }

    /** Marks {@code a} as written on the host through its native pointer (no-op on the CPU backend). */
    public static INDArray wroteOnHost(INDArray a) {
        if (!cpuBackend) Nd4j.getAffinityManager().tagLocation(a, AffinityManager.Location.HOST);
        return a;
    }
}
