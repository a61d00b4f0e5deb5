package org.deepclustering.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deepclustering.data.Dataset;
import org.deepclustering.data.Scaling;
import org.deepclustering.model.ClusteringModel;
import org.deepclustering.nn.Activation;
import org.deepclustering.nn.AutoencoderConfig;
import org.deepclustering.onnx.TestModels.HeadKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The convolutional encoder (DEKM's) exported to ONNX (Reshape, Transpose to NCHW, Conv + Relu, Transpose back,
 * Flatten, Gemm): ONNX Runtime versus our encode, max abs difference of embeddings within 1e-5, identical labels.
 */
class ConvExportParityTest {

  @ParameterizedTest(name = "{0}x{1}x{2} {3} {4}")
  @CsvSource({"16,16,1,RELU,CENTROID_WITH_TRANSFORM", "28,28,1,RELU,STUDENT_T", "16,16,1,TANH,GAUSSIAN_MIXTURE",
      "10,12,3,LEAKY_RELU,CENTROID", "28,28,1,ELU,STUDENT_T"})
  void convolutionalModelMatchesJava(int h, int w, int c, Activation act, HeadKind head) throws Exception {
    int d = h * w * c;
    float[][] train = TestModels.randomRows(120, d, 5);
    for (float[] row : train) for (int j = 0; j < d; j++) row[j] = Math.abs(row[j]) / 8; // image-like, non-negative
    AutoencoderConfig cfg = AutoencoderConfig.builder().imageShape(h, w, c).convChannels(4, 6, 8).embeddingDim(5)
        .activation(act).build();
    ClusteringModel model = TestModels.model(train, cfg, 3, Scaling.NONE, head, 7);
    ExportSpec spec = ModelSpecs.from(model);
    assertEquals(4, spec.encoder().size());
    assertTrue(spec.encoder().get(0) instanceof ExportSpec.Conv2dLayer);
    ExportSpec.Conv2dLayer first = (ExportSpec.Conv2dLayer) spec.encoder().get(0);
    assertEquals((h + 1) / 2, first.outH());
    assertEquals((w + 1) / 2, first.outW());

    float[][] test = TestModels.randomRows(37, d, 11);
    for (float[] row : test) for (int j = 0; j < d; j++) row[j] = Math.abs(row[j]) / 8;
    float[] z = model.encode(Dataset.of(test)).dup('c').data().asFloat();
    double maxDiff = 0;
    double maxRefDiff = 0;
    try (OnnxClusterer onnx = OnnxClusterer.fromBytes(OnnxExporter.toBytes(model), OnnxClusterer.Options.defaults())) {
      OnnxClusterer.Result r = onnx.run(test);
      for (int i = 0; i < test.length; i++) {
        double[] exact = DoubleReference.embed(spec, test[i]);
        for (int a = 0; a < 5; a++) {
          maxDiff = Math.max(maxDiff, Math.abs(z[i * 5 + a] - r.embeddings()[i][a]));
          maxRefDiff = Math.max(maxRefDiff, Math.abs(exact[a] - z[i * 5 + a]));
        }
      }
      System.out.printf("conv parity %dx%dx%d %s: ONNX vs Java %.2e, Java vs double reference %.2e%n", h, w, c, act, maxDiff, maxRefDiff);
      assertTrue(maxDiff <= 1e-5, "max |embedding difference| " + maxDiff);
      assertTrue(maxRefDiff <= 1e-5, "Java encoder vs double-precision direct convolution: " + maxRefDiff);
      OnnxParityTest.assertParity(model, onnx, test);
      OnnxParityTest.assertParity(model, onnx, new float[][] {test[3]});
    }
  }
}
