package org.deepclustering.algorithms;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deepclustering.data.Dataset;
import org.deepclustering.data.Scaling;
import org.deepclustering.metrics.ClusteringScores;
import org.deepclustering.model.ClusteringModel;
import org.deepclustering.model.PretrainedAutoencoder;
import org.deepclustering.testing.SharedData;
import org.deepclustering.testing.TinyConfigs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DekmDeepClusterEndToEndTest {
  private static Dataset digits;
  private static CommonConfig common;
  private static PretrainedAutoencoder pretrained;

  @BeforeAll
  static void pretrainOnce() {
    Dataset raw = SharedData.load("digits.arff.gz");
    digits = raw.withoutColumns(raw.constantColumns());
    common = TinyConfigs.common(10, 128, 64, 10, 30, 0L, Scaling.MIN_MAX);
    pretrained = PretrainedAutoencoder.train(digits, common.scaling(), common.autoencoder(), common.pretraining(), common.seed());
  }

  private static void show(String what, ClusteringModel m) {
    ClusteringScores s = ClusteringScores.of(digits.labels(), m.predict(digits));
    System.out.println("MEASURE " + what + " " + s + " it=" + m.summary());
  }

  @Test
  void explore() {
    long t = System.nanoTime();
    show("ae-kmeans", new AutoencoderKMeans(AutoencoderKMeans.Config.defaults(10).withCommon(common)).fit(digits, pretrained));
    show("dekm", new DEKM(DEKM.Config.defaults(10).withCommon(common)).fit(digits, pretrained));
    System.out.println("t " + (System.nanoTime() - t) / 1e9);
    show("dekm-F", new DEKM(DEKM.Config.defaults(10).withCommon(common).withFullBatch(true).withMaxIterations(300)).fit(digits, pretrained));
    System.out.println("t " + (System.nanoTime() - t) / 1e9);
    show("dck tol0 20", new DeepClusterKMeans(DeepClusterKMeans.Config.defaults(10).withCommon(common).withTolerance(0).withMaxIterations(20)).fit(digits, pretrained));
    System.out.println("t " + (System.nanoTime() - t) / 1e9);
    show("dcg tol0 20", new DeepClusterGMM(DeepClusterGMM.Config.defaults(10).withCommon(common).withTolerance(0).withMaxIterations(20)).fit(digits, pretrained));
    System.out.println("t " + (System.nanoTime() - t) / 1e9);
  }
}
