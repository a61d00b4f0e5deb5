package org.deepclustering.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.deepclustering.data.Dataset;
import org.deepclustering.data.Scaling;
import org.deepclustering.model.ClusteringModel;
import org.deepclustering.model.LibraryVersion;
import org.deepclustering.nn.Activation;
import org.deepclustering.onnx.TestModels.HeadKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxClustererTest {
  static ClusteringModel model;
  static OnnxClusterer onnx;

  @BeforeAll
  static void setUp() throws Exception {
    model = TestModels.model(TestModels.randomRows(200, 6, 1), new int[] {8}, 3, 4, Activation.RELU, true,
        Scaling.MIN_MAX, HeadKind.STUDENT_T, 2);
    onnx = OnnxClusterer.fromBytes(OnnxExporter.toBytes(model), OnnxClusterer.Options.defaults());
  }

  @AfterAll
  static void tearDown() {
    onnx.close();
  }

  @Test
  void metadataIsPresent() {
    assertEquals("IDEC", onnx.algorithm());
    assertEquals(4, onnx.numClusters());
    assertEquals(6, onnx.inputDim());
    assertEquals(3, onnx.embeddingDim());
    assertEquals(model.featureNames(), onnx.attributeNames());
    Map<String, String> m = onnx.metadata();
    assertEquals("4", m.get(OnnxMetadata.K));
    assertEquals("MIN_MAX", m.get(OnnxMetadata.SCALING));
    assertEquals(LibraryVersion.get(), m.get(OnnxMetadata.LIBRARY_VERSION));
    assertEquals("student-t-q", m.get(OnnxMetadata.PROBABILITIES));
    assertEquals("1.0", m.get(OnnxMetadata.ALPHA));
    assertTrue(m.get(OnnxMetadata.ATTRIBUTE_NAMES).startsWith("[\"feature \\\"0\\\"\""), m.get(OnnxMetadata.ATTRIBUTE_NAMES));
    assertFalse(onnx.hasTransformedEmbedding());
    assertEquals("CPU", onnx.executionProvider());
  }

  @Test
  void wrongFeatureCountIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> onnx.predict(new float[][] {new float[6], new float[5]}));
    assertTrue(e.getMessage().contains("row 1 has 5 features, but the model expects 6"), e.getMessage());
  }

  @Test
  void nonFiniteValuesAreRejectedNamingRowAndColumn() {
    float[][] x = TestModels.randomRows(5, 6, 3);
    x[3][2] = Float.NaN;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> onnx.probabilities(x));
    assertTrue(e.getMessage().contains("row 3, column 2") && e.getMessage().contains("NaN"), e.getMessage());
    x[3][2] = 0;
    x[4][5] = Float.NEGATIVE_INFINITY;
    e = assertThrows(IllegalArgumentException.class, () -> onnx.embeddings(x));
    assertTrue(e.getMessage().contains("row 4, column 5") && e.getMessage().contains("Infinity"), e.getMessage());
  }

  @Test
  void emptyAndNullBatchesAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> onnx.predict(new float[0][]));
    assertTrue(e.getMessage().contains("empty batch"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> onnx.predict(null));
    e = assertThrows(IllegalArgumentException.class, () -> onnx.predict(new float[][] {new float[6], null}));
    assertTrue(e.getMessage().contains("row 1 is null"), e.getMessage());
  }

  @Test
  void transformedEmbeddingOnlyForModelsWithATransform() {
    assertThrows(IllegalStateException.class, () -> onnx.transformedEmbeddings(new float[][] {new float[6]}));
  }

  @Test
  void batchingDoesNotChangeResults() throws Exception {
    float[][] x = TestModels.randomRows(1000, 6, 4);
    try (OnnxClusterer small = OnnxClusterer.fromBytes(OnnxExporter.toBytes(model), OnnxClusterer.Options.defaults().withBatchSize(7))) {
      assertArrayEquals(onnx.predict(x), small.predict(x));
      assertArrayEquals(model.predict(Dataset.of(x)), small.predict(x));
    }
  }

  @Test
  void cudaRequestFallsBackToCpuWhenUnavailable() throws Exception {
    float[][] x = TestModels.randomRows(50, 6, 5);
    try (OnnxClusterer cuda = OnnxClusterer.fromBytes(OnnxExporter.toBytes(model), OnnxClusterer.Options.defaults().withCuda(0))) {
      // the CPU build of ONNX Runtime (this module's dependency) has no CUDA provider: the session falls back to CPU
      if (!cuda.usingCuda()) assertEquals("CPU", cuda.executionProvider());
      assertArrayEquals(model.predict(Dataset.of(x)), cuda.predict(x));
    }
  }

  @Test
  void exportWritesAFileThatLoads(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sub/model.onnx");
    OnnxExporter.export(model, file);
    assertTrue(Files.size(file) > 0);
    float[][] x = TestModels.randomRows(10, 6, 6);
    try (OnnxClusterer loaded = OnnxClusterer.load(file)) {
      assertArrayEquals(onnx.predict(x), loaded.predict(x));
    }
  }

  @Test
  void exportCommandConvertsASavedModel(@TempDir Path dir) throws Exception {
    Path zip = dir.resolve("model.zip");
    model.save(zip);
    Path out = dir.resolve("model.onnx");
    assertEquals(0, ExportCommand.run(new String[] {zip.toString(), out.toString()}));
    float[][] x = TestModels.randomRows(10, 6, 7);
    try (OnnxClusterer loaded = OnnxClusterer.load(out)) {
      assertArrayEquals(model.predict(Dataset.of(x)), loaded.predict(x));
    }
    assertEquals(2, ExportCommand.run(new String[] {zip.toString()}));
    assertEquals(1, ExportCommand.run(new String[] {dir.resolve("missing.zip").toString(), out.toString()}));
  }

  @Test
  void notAClusteringModelIsRejected() {
    assertThrows(Exception.class, () -> OnnxClusterer.fromBytes(new byte[] {1, 2, 3}, OnnxClusterer.Options.defaults()));
  }
}
