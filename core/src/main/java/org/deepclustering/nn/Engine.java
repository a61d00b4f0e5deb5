package org.deepclustering.nn;

import java.util.Locale;

/**
 * Which implementation trains and runs the autoencoder. System property {@code deepclustering.engine}:
 * <ul>
 *   <li>{@code auto} (default): {@link Kind#NATIVE} on ND4J's CPU backend, {@link Kind#ND4J} on any other backend
 *       (CUDA);</li>
 *   <li>{@code native}: the fast CPU engine (OpenBLAS on host pointers, fused Java kernels); refused on a non-CPU
 *       backend, whose arrays live in device memory;</li>
 *   <li>{@code nd4j}: the portable engine (only ND4J operations on INDArrays: gemm with transposes, broadcast row-vector
 *       adds, in-place transforms, an INDArray-op Adam). Forcing it on the CPU is how it is tested without a GPU. It
 *       supports fully connected autoencoders with batch norm, dropout and masking noise; convolutional layers are
 *       CPU-only for now.</li>
 * </ul>
 * The property is read whenever a trainer is created and on every inference call ({@link Autoencoder#encode} etc.),
 * so one trainer uses one engine throughout.
 */
public final class Engine {
    /** System property that selects the engine: auto, native or nd4j. */
    public static final String PROPERTY = "deepclustering.engine";

    /** The two engines. */
    public enum Kind {
        /** the fast CPU engine (default on the CPU backend) */
        NATIVE,
        /** the portable ND4J-operations engine (default on other backends, e.g. CUDA) */
        ND4J
    }

    private Engine() {
    }

    /** The engine selected now by {@value #PROPERTY} and the loaded ND4J backend (configures ND4J first). */
    public static Kind selected() {
        String v = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        boolean cpu = NativeSetup.isCpuBackend();
        return switch (v) {
            case "auto", "" -> cpu ? Kind.NATIVE : Kind.ND4J;
            case "nd4j", "portable" -> Kind.ND4J;
            case "native", "cpu" -> {
                if (!cpu) {
                    throw new IllegalStateException("-D" + PROPERTY + "=" + v + " selects the CPU-only engine, but the "
                            + "ND4J backend is not the CPU one (" + NativeSetup.buildBackend() + "); use " + PROPERTY
                            + "=auto or nd4j");
                }
                yield Kind.NATIVE;
            }
            default -> throw new IllegalArgumentException("system property " + PROPERTY + " is '" + v
                    + "'; allowed: auto (default), native, nd4j");
        };
    }

    /** Throws the portable engine's clear refusal of a feature it does not implement yet. */
    static UnsupportedOperationException unsupported(String feature) {
        return new UnsupportedOperationException(feature + " is not supported by the portable ND4J engine (used on the "
                + "CUDA backend, or forced with -D" + PROPERTY + "=nd4j) yet: it runs only on the CPU build with the "
                + "native engine (" + PROPERTY + "=auto on nd4j-native); see docs/gpu.md");
    }
}
