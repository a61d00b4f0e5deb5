package org.deepclustering.benchmark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KMeansBenchmarkArffTest {

    private static final String ARFF = String.join("\n",
            "% comment", "@RELATION test", "", "@ATTRIBUTE a REAL", "@attribute\tb numeric",
            "@Attribute class {x,'y y',z}", "@DATA", "1.5,-2,x", "% inside data", "0.25 , 3e2 ,'y y'", "", "7,0,z",
            "% trailing comment", "");

    @Test
    void readsPlainAndGzip(@TempDir Path dir) throws IOException {
        Path plain = dir.resolve("t.arff");
        Files.writeString(plain, ARFF, StandardCharsets.UTF_8);
        Path gz = dir.resolve("t.arff.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(ARFF.getBytes(StandardCharsets.UTF_8));
        }
        for (Path p : new Path[] {plain, gz}) {
            KMeansBenchmark.Dense d = KMeansBenchmark.readDenseArff(p);
            assertEquals(3, d.rows());
            assertEquals(2, d.cols());
            assertArrayEquals(new float[] {1.5f, -2f, 0.25f, 300f, 7f, 0f}, d.values());
            assertArrayEquals(new int[] {0, 1, 2}, d.labels());
        }
    }
}
