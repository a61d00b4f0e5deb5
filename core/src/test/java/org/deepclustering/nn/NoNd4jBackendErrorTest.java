package org.deepclustering.nn;

import org.deepclustering.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * When no ND4J backend can load, the user gets one clear IllegalStateException (which backend the build has, what is
 * missing, what to do) instead of ND4J's NoAvailableBackendException stack trace.
 */
class NoNd4jBackendErrorTest {

    /**
     * Real failure, simulated on the CPU build: a child JVM runs the command-line tool with a javacpp platform that has
     * no native jars, so nd4j-native cannot load (as nd4j-cuda cannot without a GPU).
     */
    @Test
    void commandLineToolReportsAMissingBackendClearly() throws Exception {
        Path data = SharedData.file("iris.arff");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Dorg.bytedeco.javacpp.platform=linux-nonexistent",
                "-cp", System.getProperty("java.class.path"), "org.deepclustering.cli.Main",
                "cluster", "--data", data.toString(), "--pretrain-epochs", "1"))
                .redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(1, p.exitValue(), text);
        assertTrue(text.contains("error: java.lang.IllegalStateException: No ND4J backend could be loaded. "
                + "This build's backend: CPU (nd4j-native). Missing: "), text);
        assertTrue(text.contains("What to do: ") && text.contains("docs/gpu.md"), text);
        assertFalse(text.contains("NoAvailableBackendException") || text.contains("\tat "), "no raw stack trace: " + text);
    }

    @Test
    void cudaBuildMessageSaysWhatIsMissingAndWhatToDo() {
        Throwable nd4j = new ExceptionInInitializerError(new RuntimeException(
                "org.nd4j.linalg.factory.Nd4jBackend$NoAvailableBackendException: Please ensure that you have an nd4j backend"));
        IllegalStateException e = NativeSetup.backendUnavailable("CUDA 11.6 (nd4j-cuda-11.6)", nd4j);
        String m = e.getMessage();
        assertTrue(m.startsWith("No ND4J backend could be loaded. This build's backend: CUDA 11.6 (nd4j-cuda-11.6)."), m);
        assertTrue(m.contains("no usable CUDA 11.6 driver/GPU found"), m);
        assertTrue(m.contains("use the CPU build") && m.contains("docs/gpu.md"), m);
        assertTrue(m.contains("NoAvailableBackendException"), "names the root cause: " + m);
        assertSame(nd4j, e.getCause());
    }

    @Test
    void thisBuildIsTheCpuBuild() {
        assertEquals("CPU (nd4j-native)", NativeSetup.buildBackend());
        assertTrue(NativeSetup.isCpuBackend());
    }
}
