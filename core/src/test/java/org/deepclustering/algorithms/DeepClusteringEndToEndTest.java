package org.deepclustering.algorithms;

import org.deepclustering.data.Dataset;
import org.deepclustering.data.Scaling;
import org.deepclustering.metrics.ClusteringScores;
import org.deepclustering.model.ClusteringModel;
import org.deepclustering.model.PretrainedAutoencoder;
import org.deepclustering.testing.SharedData;
import org.deepclustering.testing.TinyConfigs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DeepClusteringEndToEndTest {
  private static Dataset digits;
  private static CommonConfig common;
  private static PretrainedAutoencoder pretrained;

  @BeforeAll
  static void pretrainOnce() {
    Dataset raw = SharedData.load("digits.arff.gz");
    digits = raw.withoutColumns(raw.constantColumns());
    common = TinyConfigs.common(10, 128, 64, 10, 30, Long.getLong("seed", 0L), Scaling.MIN_MAX);
    pretrained = PretrainedAutoencoder.train(digits, common.scaling(), common.autoencoder(), common.pretraining(), common.seed());
  }

  private static void show(String what, ClusteringModel m, long t0) {
    ClusteringScores s = ClusteringScores.of(digits.labels(), m.predict(digits));
    System.err.printf("MEASURE %s %s it=%d stop=%s %.1fs%n", what, s, m.summary().clusteringIterations(), m.summary().stopReason(), (System.nanoTime()-t0)/1e9);
  }

  @Test
  void explore() {
    long t = System.nanoTime();
    show("aekm", new AutoencoderKMeans(AutoencoderKMeans.Config.defaults(10).withCommon(common)).fit(digits, pretrained), t);
    for (int T : new int[] {140, 30}) {
      t = System.nanoTime();
      show("idec T" + T, new IDEC(IDEC.Config.defaults(10).withCommon(common).withUpdateInterval(T).withMaxIterations(3000)).fit(digits, pretrained), t);
      t = System.nanoTime();
      show("dec T" + T, new DEC(DEC.Config.defaults(10).withCommon(common).withUpdateInterval(T).withMaxIterations(3000)).fit(digits, pretrained), t);
    }
    for (double lr : new double[] {0.05, 0.01}) for (double lam : new double[] {0.05, 1, 20}) {
      t = System.nanoTime();
      show("dcn lr" + lr + " lam" + lam, new DCN(DCN.Config.defaults(10).withCommon(common).withEpochs(20).withLearningRate(lr).withLambda(lam)).fit(digits, pretrained), t);
    }
  }
}
