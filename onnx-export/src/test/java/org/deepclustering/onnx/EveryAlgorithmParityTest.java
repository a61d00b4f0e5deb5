package org.deepclustering.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.deepclustering.algorithms.Algorithms;
import org.deepclustering.algorithms.ClusteringAlgorithm;
import org.deepclustering.algorithms.CommonConfig;
import org.deepclustering.data.Dataset;
import org.deepclustering.data.Scaling;
import org.deepclustering.model.ClusteringModel;
import org.deepclustering.model.PretrainedAutoencoder;
import org.deepclustering.nn.AutoencoderConfig;
import org.deepclustering.nn.PretrainingConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every method in the registry, trained briefly on MNIST from one shared pretrained autoencoder, exported to ONNX:
 * ONNX Runtime's embeddings and probabilities agree with the Java model within 1e-5 and its labels are identical on
 * all 10,000 rows of mnist-10k. The method list is the registry itself, so a new method is covered when registered.
 */
class EveryAlgorithmParityTest {
  /** Short runs: the point is a trained model of each kind (fine-tuned encoder, the method's own head), not quality. */
  private static final Map<String, Map<String, String>> QUICK = Map.of(
      "ae-kmeans", Map.of("kmeansRestarts", "2"),
      "ae-gmm", Map.of("restarts", "1", "maxIterations", "50"),
      "dcn", Map.of("epochs", "2"),
      "dec", Map.of("maxIterations", "60", "updateInterval", "20"),
      "idec", Map.of("maxIterations", "60", "updateInterval", "20"),
      "dekm", Map.of("maxIterations", "40", "kmeansRestarts", "2"),
      "dc-kmeans", Map.of("maxIterations", "2", "kmeansRestarts", "2"),
      "dc-gmm", Map.of("maxIterations", "2", "kmeansRestarts", "2"));

  private static float[][] mnist;
  private static Dataset train;
  private static CommonConfig common;
  private static PretrainedAutoencoder pretrained;

  @BeforeAll
  static void pretrainOnce() throws Exception {
    mnist = TestModels.mnist(10_000);
    train = Dataset.of(java.util.Arrays.copyOf(mnist, 2_000));
    common = CommonConfig.defaults(10).withSeed(3).withScaling(Scaling.NONE)
        .withAutoencoder(AutoencoderConfig.builder().hiddenWidths(128, 64).embeddingDim(10).build())
        .withPretraining(PretrainingConfig.builder().epochs(3).build());
    pretrained = PretrainedAutoencoder.train(train, common.scaling(), common.autoencoder(), common.pretraining(), common.seed());
  }

  static List<String> methods() {
    return Algorithms.names();
  }

  @Test
  void registryHoldsThePublishedMethods() {
    assertEquals(new TreeSet<>(Set.of("ae-kmeans", "ae-gmm", "dcn", "dec", "idec", "dekm", "dc-kmeans", "dc-gmm")),
        new TreeSet<>(Algorithms.names()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("methods")
  void exportedModelMatchesJavaOnMnist10k(String method) throws Exception {
    assertTrue(QUICK.containsKey(method), "add short-run options for the new method '" + method + "' to this test");
    ClusteringAlgorithm algorithm = Algorithms.create(method, common, QUICK.get(method));
    ClusteringModel model = algorithm.fit(train, pretrained);
    try (OnnxClusterer onnx = OnnxClusterer.fromBytes(OnnxExporter.toBytes(model),
        OnnxClusterer.Options.defaults().withBatchSize(1024))) {
      assertEquals(model.algorithm(), onnx.algorithm());
      OnnxParityTest.assertParity(model, onnx, mnist);
    }
  }
}
