package org.deepclustering.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.deepclustering.data.Scaling;
import org.deepclustering.model.ClusteringModel;
import org.deepclustering.nn.Activation;
import org.deepclustering.onnx.TestModels.HeadKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Structural checks of the exported protobuf (what onnx.checker checks for this op set) and a warning-free load. */
class OnnxModelValidityTest {
  static final Set<String> OPS = Set.of("Sub", "Mul", "Div", "Add", "ReduceSumSquare", "ReduceSum", "Greater", "Where",
      "Sqrt", "Gemm", "BatchNormalization", "Relu", "LeakyRelu", "Tanh", "Sigmoid", "Elu", "Unsqueeze", "ArgMin",
      "ArgMax", "Reciprocal", "Pow", "MatMul", "Transpose", "Softmax", "Cast");

  @Test
  void graphIsWellFormed() throws Exception {
    for (HeadKind head : HeadKind.values()) {
      ClusteringModel model = TestModels.model(TestModels.randomRows(100, 5, 1), new int[] {7}, 3, 2, Activation.TANH, true,
          Scaling.SAMPLE_L2, head, 3);
      ModelProto m = ModelProto.parseFrom(OnnxExporter.toBytes(model));
      check(m, 5, head == HeadKind.CENTROID_WITH_TRANSFORM);
    }
  }

  static void check(ModelProto m, int d, boolean transformed) {
    assertEquals(8, m.getIrVersion());
    assertEquals(1, m.getOpsetImportCount());
    assertEquals("", m.getOpsetImport(0).getDomain());
    assertEquals(17, m.getOpsetImport(0).getVersion());
    GraphProto g = m.getGraph();
    assertEquals(1, g.getInputCount());
    ValueInfoProto in = g.getInput(0);
    assertEquals("input", in.getName());
    assertEquals(TensorProto.DataType.FLOAT.getNumber(), in.getType().getTensorType().getElemType());
    List<TensorShapeProto.Dimension> dims = in.getType().getTensorType().getShape().getDimList();
    assertEquals("N", dims.get(0).getDimParam());
    assertEquals(d, dims.get(1).getDimValue());

    Set<String> defined = new HashSet<>();
    defined.add("input");
    Set<String> used = new HashSet<>();
    for (TensorProto t : g.getInitializerList()) {
      assertTrue(defined.add(t.getName()), "duplicate name " + t.getName());
      long count = t.getDimsList().stream().reduce(1L, (a, b) -> a * b);
      long stored = t.getDataType() == TensorProto.DataType.FLOAT.getNumber() ? t.getRawData().size() / 4
          : t.getDataType() == TensorProto.DataType.DOUBLE.getNumber()
              ? (t.getRawData().isEmpty() ? t.getDoubleDataCount() : t.getRawData().size() / 8) : t.getInt64DataCount();
      assertEquals(count, stored, "initializer " + t.getName() + " size");
    }
    Set<String> nodeNames = new HashSet<>();
    for (NodeProto n : g.getNodeList()) {
      assertTrue(OPS.contains(n.getOpType()), "unexpected op " + n.getOpType());
      assertTrue(nodeNames.add(n.getName()), "duplicate node name " + n.getName());
      for (String i : n.getInputList()) {
        assertTrue(defined.contains(i), "node " + n.getName() + " reads " + i + " before it is defined");
        used.add(i);
      }
      for (String o : n.getOutputList()) assertTrue(defined.add(o), "value " + o + " defined twice");
    }
    for (TensorProto t : g.getInitializerList()) assertTrue(used.contains(t.getName()), "unused initializer " + t.getName());
    List<String> outputs = g.getOutputList().stream().map(ValueInfoProto::getName).toList();
    assertEquals(transformed ? List.of("embedding", "probabilities", "label", "transformed_embedding")
        : List.of("embedding", "probabilities", "label"), outputs);
    for (ValueInfoProto o : g.getOutputList()) {
      assertTrue(defined.contains(o.getName()));
      int type = o.getType().getTensorType().getElemType();
      assertEquals(o.getName().equals("label") ? TensorProto.DataType.INT64.getNumber() : TensorProto.DataType.FLOAT.getNumber(), type);
      assertEquals("N", o.getType().getTensorType().getShape().getDim(0).getDimParam());
    }
    assertFalse(m.getMetadataPropsList().isEmpty());
  }

  /** Loads each head type in a child JVM with ONNX Runtime logging at WARNING and expects no warning or error line. */
  @Test
  void loadsInOnnxRuntimeWithoutWarnings(@TempDir Path dir) throws Exception {
    for (HeadKind head : HeadKind.values()) {
      ClusteringModel model = TestModels.model(TestModels.randomRows(100, 5, 1), new int[] {7, 6}, 3, 2, Activation.LEAKY_RELU,
          head.ordinal() % 2 == 0, head.ordinal() < 2 ? Scaling.SAMPLE_L2 : Scaling.Z_SCORE, head, 3);
      Path file = dir.resolve(head + ".onnx");
      OnnxExporter.export(model, file);
      assertCleanLoad(file, 5);
    }
  }

  static void assertCleanLoad(Path file, int d) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, LoadCheck.class.getName(), file.toString(), Integer.toString(d));
    // class path through the environment, not the command line (keeps the command short)
    pb.environment().put("CLASSPATH", System.getProperty("java.class.path"));
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("OK 3 outputs") || out.contains("OK 4 outputs"), out);
    for (String line : out.split("\n")) {
      assertFalse(line.contains("[W:") || line.contains("[E:") || line.toLowerCase().contains("warning"),
          file.getFileName() + ": ONNX Runtime printed: " + line);
    }
  }
}
