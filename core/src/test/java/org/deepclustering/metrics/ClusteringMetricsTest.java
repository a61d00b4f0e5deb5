package org.deepclustering.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class ClusteringMetricsTest {

    private static final double TOL = 1e-9;

    /** shared/reference: system property (set by surefire), else searched upwards from the working directory. */
    static Path referenceDir() {
        String prop = System.getProperty("shared.reference.dir");
        if (prop != null && Files.isRegularFile(Paths.get(prop, "metric-vectors.json"))) {
            return Paths.get(prop);
        }
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("../shared/reference").normalize();
            if (Files.isRegularFile(candidate.resolve("metric-vectors.json"))) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("shared/reference/metric-vectors.json not found (set -Dshared.reference.dir)");
    }

    private static int[] ints(JsonNode node) {
        int[] a = new int[node.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = node.get(i).asInt();
        }
        return a;
    }

    @TestFactory
    Stream<DynamicTest> referenceVectors() throws IOException {
        JsonNode root = new ObjectMapper().readTree(referenceDir().resolve("metric-vectors.json").toFile());
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                int[] truth = ints(c.get("truth"));
                int[] pred = ints(c.get("pred"));
                assertEquals(c.get("acc").asDouble(), ClusteringMetrics.accuracy(truth, pred), TOL, "acc");
                assertEquals(c.get("nmi").asDouble(), ClusteringMetrics.normalizedMutualInformation(truth, pred), TOL,
                        "nmi");
                assertEquals(c.get("ari").asDouble(), ClusteringMetrics.adjustedRandIndex(truth, pred), TOL, "ari");
                assertEquals(c.get("purity").asDouble(), ClusteringMetrics.purity(truth, pred), TOL, "purity");
                ClusteringScores s = ClusteringScores.of(truth, pred);
                assertEquals(c.get("acc").asDouble(), s.acc(), TOL);
                assertEquals(c.get("nmi").asDouble(), s.nmi(), TOL);
                assertEquals(c.get("ari").asDouble(), s.ari(), TOL);
                assertEquals(c.get("purity").asDouble(), s.purity(), TOL);
            }));
        }
        assertTrue(tests.size() > 0);
        return tests.stream();
    }

    @Test
    void arbitraryLabelValues() {
        int[] truth = {7, 7, 100, 100, 3, 3};
        int[] pred = {42, 42, 0, 0, 9, 9};
        ClusteringScores s = ClusteringScores.of(truth, pred);
        assertEquals(1.0, s.acc(), TOL);
        assertEquals(1.0, s.nmi(), TOL);
        assertEquals(1.0, s.ari(), TOL);
        assertEquals(1.0, s.purity(), TOL);
    }

    @Test
    void validation() {
        assertThrows(IllegalArgumentException.class, () -> ClusteringMetrics.accuracy(new int[] {0, 1}, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> ClusteringMetrics.purity(new int[0], new int[0]));
        assertThrows(IllegalArgumentException.class,
                () -> ClusteringMetrics.adjustedRandIndex(new int[] {-1, 0}, new int[] {0, 0}));
        assertThrows(IllegalArgumentException.class, () -> ClusteringScores.of(null, new int[] {0}));
    }
}
