package weka.clusterers.deepclustering;

import java.util.Locale;
import weka.clusterers.AbstractClusterer;
import weka.core.Instances;
import weka.core.Utils;
import weka.core.converters.ConverterUtils.DataSource;

/**
 * Benchmark (docs/weka.md): Weka's two ways of predicting with a trained clusterer, in one run on one machine. It
 * trains the clusterer once, then alternates rounds of {@code clusterInstance} one instance at a time (on the first
 * {@code oneByOne} instances) with {@code distributionsForInstances} on all instances (what ClusterEvaluation uses),
 * and prints one JSON line: microseconds per instance each way, their ratio, and whether the labels agree.
 *
 * <p>Usage: {@code BatchPredictionBenchmark ARFF CLUSTERER "OPTIONS" [oneByOne=2000] [rounds=3]}; the class attribute
 * (the last one, if nominal) is removed before training.
 */
public final class BatchPredictionBenchmark {
  private BatchPredictionBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: BatchPredictionBenchmark ARFF CLUSTERER \"OPTIONS\" [oneByOne=2000] [rounds=3]");
      System.exit(2);
    }
    Instances data = DataSource.read(args[0]);
    if (data.attribute(data.numAttributes() - 1).isNominal()) data.deleteAttributeAt(data.numAttributes() - 1);
    AbstractDeepClusterer c = (AbstractDeepClusterer) AbstractClusterer.forName(args[1], Utils.splitOptions(args[2]));
    int oneByOne = Math.min(data.numInstances(), args.length > 3 ? Integer.parseInt(args[3]) : 2000);
    int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
    long t0 = System.nanoTime();
    c.buildClusterer(data);
    double buildSeconds = (System.nanoTime() - t0) / 1e9;
    double bestSingle = Double.MAX_VALUE, bestBatch = Double.MAX_VALUE;
    int disagreements = 0;
    for (int r = 0; r < rounds; r++) {
      long s = System.nanoTime();
      int[] single = new int[oneByOne];
      for (int i = 0; i < oneByOne; i++) single[i] = c.clusterInstance(data.instance(i));
      bestSingle = Math.min(bestSingle, (System.nanoTime() - s) / 1e3 / oneByOne);
      s = System.nanoTime();
      double[][] batch = c.distributionsForInstances(data);
      bestBatch = Math.min(bestBatch, (System.nanoTime() - s) / 1e3 / data.numInstances());
      if (r == 0) {
        for (int i = 0; i < oneByOne; i++) if (Utils.maxIndex(batch[i]) != single[i]) disagreements++;
      }
    }
    System.out.printf(Locale.ROOT, "{\"benchmark\":\"weka-batch-prediction\",\"clusterer\":\"%s\",\"options\":\"%s\","
            + "\"n\":%d,\"attributes\":%d,\"predictionBatchSize\":%s,\"buildSeconds\":%.1f,\"oneByOneInstances\":%d,"
            + "\"oneByOneMicrosPerInstance\":%.1f,\"batchMicrosPerInstance\":%.1f,\"speedup\":%.1f,\"labelDisagreements\":%d,"
            + "\"rounds\":%d,\"cores\":%d}%n",
        c.getClass().getSimpleName(), args[2], data.numInstances(), data.numAttributes(), c.getBatchSize(), buildSeconds,
        oneByOne, bestSingle, bestBatch, bestSingle / bestBatch, disagreements, rounds,
        Runtime.getRuntime().availableProcessors());
  }
}
