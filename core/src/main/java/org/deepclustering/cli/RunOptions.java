package org.deepclustering.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deepclustering.algorithms.Algorithms;
import org.deepclustering.algorithms.ClusteringAlgorithm;
import org.deepclustering.algorithms.CommonConfig;
import org.deepclustering.data.Dataset;
import org.deepclustering.data.Scaling;
import org.deepclustering.io.ArffReader;
import org.deepclustering.nn.AutoencoderConfig;
import org.deepclustering.nn.OptimizerConfig;
import org.deepclustering.nn.PretrainingConfig;
import org.deepclustering.nn.WeightInit;
import picocli.CommandLine.Option;

/** Options shared by {@code cluster} and {@code benchmark}. */
final class RunOptions {
  /** Name of the data set bundled in the jar (scikit-learn's copy of UCI optdigits, BSD-3). */
  static final String BUNDLED = "digits";

  @Option(names = "--data", defaultValue = BUNDLED, description = "ARFF file (.arff or .arff.gz), or 'digits' for the bundled data set (default: ${DEFAULT-VALUE}).")
  String data;

  @Option(names = {"-m", "--method"}, defaultValue = "ae-kmeans", description = "Method: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).", completionCandidates = MethodNames.class)
  String method;

  @Option(names = {"-k", "--clusters"}, description = "Number of clusters (default: the number of classes in the data).")
  Integer clusters;

  @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--scaling", defaultValue = "MIN_MAX", description = "Input scaling: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). With MIN_MAX or Z_SCORE, constant features are dropped first.")
  Scaling scaling;

  @Option(names = "--hidden", split = ",", description = "Hidden layer widths of the encoder (default: 500,500,2000).")
  int[] hidden;

  @Option(names = "--image-shape", split = ",", description = "Rows are images of height,width,channels stored channels-last (HWC; e.g. 28,28,1 for MNIST): use DEKM's convolutional autoencoder. Constant pixels are kept.")
  int[] imageShape;

  @Option(names = "--embedding", description = "Embedding size (default: 10).")
  Integer embedding;

  @Option(names = "--weight-init", description = "Initial weights: ${COMPLETION-CANDIDATES} (default: GLOROT_UNIFORM, as"
      + " the IDEC and DEKM code; DEC's Keras code: FAN_IN_UNIFORM with SGD_MOMENTUM pretraining at learning rate 1).")
  WeightInit weightInit;

  @Option(names = "--batch-norm", description = "Batch normalisation after every hidden layer of the dense"
      + " autoencoder (default: off; DCN's paper uses it).")
  boolean batchNorm;

  @Option(names = "--layerwise-epochs", paramLabel = "EPOCHS", description = "Greedy layer-wise denoising pretraining"
      + " (stacked denoising autoencoders, as DEC and DCN) with this many epochs per layer, before the"
      + " --pretrain-epochs end-to-end epochs (default: 0 = none, as IDEC and DEKM).")
  Integer layerwiseEpochs;

  @Option(names = "--layerwise-corruption", description = "Masking noise on each layer's input and dropout on its code"
      + " during the layer-wise stage (default: 0.2, as DEC).")
  Double layerwiseCorruption;

  @Option(names = "--pretrain-epochs", description = "Autoencoder pretraining epochs (default: 200, as DEC/IDEC).")
  Integer pretrainEpochs;

  @Option(names = "--pretrain-batch", description = "Pretraining mini-batch size (default: 256).")
  Integer pretrainBatch;

  @Option(names = "--pretrain-optimizer", description = "Pretraining optimizer: ${COMPLETION-CANDIDATES} (default: ADAM, as"
      + " IDEC; the momentum types use momentum 0.9; DEC's Keras code: SGD_MOMENTUM with learning rate 1).")
  OptimizerConfig.Type pretrainOptimizer;

  @Option(names = "--pretrain-lr", description = "Pretraining learning rate (default: 0.001; 1.0 for ADADELTA).")
  Double pretrainLearningRate;

  @Option(names = "--pretrained", description = "Start from a saved pretrained autoencoder instead of pretraining.")
  Path pretrained;

  @Option(names = "--save-pretrained", description = "Save the pretrained autoencoder to this file (reusable with --pretrained).")
  Path savePretrained;

  @Option(names = "--save-pretrained-at", split = ",", paramLabel = "EPOCH", description = "Also save the autoencoder as it"
      + " stands after these pretraining epochs, next to the --save-pretrained file with -e<epoch> before its extension"
      + " (e.g. --save-pretrained pre.zip --save-pretrained-at 20,50 writes pre-e20.zip and pre-e50.zip).")
  int[] savePretrainedAt;

  @Option(names = "--set", description = "Method option as name=value, repeatable (e.g. --set gamma=0.1).")
  Map<String, String> options = new LinkedHashMap<>();

  @Option(names = {"-v", "--verbose"}, description = "Print one line per epoch to standard error.")
  boolean verbose;

  Dataset loadData() throws IOException {
    if (data.equals(BUNDLED)) {
      try (InputStream in = RunOptions.class.getResourceAsStream("/datasets/digits.arff.gz")) {
        if (in == null) throw new IOException("bundled data set missing from the jar");
        return ArffReader.read(in, "digits.arff.gz");
      }
    }
    Path path = Path.of(data);
    if (!Files.isRegularFile(path)) throw new IOException("no such data file: " + path);
    return ArffReader.read(path);
  }

  /** Drops constant features when the scaling cannot handle them; reports what it dropped. */
  Dataset prepare(Dataset raw, java.io.PrintStream log) {
    if (imageShape == null && (scaling == Scaling.MIN_MAX || scaling == Scaling.Z_SCORE)) {
      int[] constant = raw.constantColumns();
      if (constant.length > 0 && pretrained == null) {
        log.println("note: dropping " + constant.length + " constant feature(s) before " + scaling + " scaling");
        return raw.withoutColumns(constant);
      }
    }
    return raw;
  }

  /** The file a snapshot after {@code epoch} pretraining epochs is saved to: pre.zip becomes pre-e50.zip. */
  static Path snapshotFile(Path savePretrained, int epoch) {
    String name = savePretrained.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String snapshot = dot > 0 ? name.substring(0, dot) + "-e" + epoch + name.substring(dot) : name + "-e" + epoch;
    return savePretrained.resolveSibling(snapshot);
  }

  int numClusters(Dataset d) {
    if (clusters != null) return clusters;
    if (d.hasLabels()) return d.numClasses();
    throw new IllegalArgumentException("the data has no class attribute: give the number of clusters with -k");
  }

  CommonConfig common(int k) {
    AutoencoderConfig arch = AutoencoderConfig.defaults();
    if (hidden != null) arch = arch.toBuilder().hiddenWidths(hidden).build();
    if (embedding != null) arch = arch.toBuilder().embeddingDim(embedding).build();
    if (imageShape != null) arch = arch.toBuilder().imageShape(imageShape).build();
    if (weightInit != null) arch = arch.toBuilder().weightInit(weightInit).build();
    if (batchNorm) arch = arch.toBuilder().batchNorm(true).build();
    PretrainingConfig pre = PretrainingConfig.defaults();
    if (pretrainEpochs != null) pre = pre.toBuilder().epochs(pretrainEpochs).build();
    if (pretrainBatch != null) pre = pre.toBuilder().batchSize(pretrainBatch).build();
    if (layerwiseEpochs != null) {
      pre = pre.toBuilder().layerwise(layerwiseEpochs > 0).layerwiseEpochs(layerwiseEpochs).build();
    }
    if (layerwiseCorruption != null) pre = pre.toBuilder().layerwiseCorruption(layerwiseCorruption).build();
    if (pretrainOptimizer != null || pretrainLearningRate != null) {
      OptimizerConfig.Type type = pretrainOptimizer != null ? pretrainOptimizer : pre.getOptimizer().getType();
      double lr = pretrainLearningRate != null ? pretrainLearningRate : type == OptimizerConfig.Type.ADADELTA ? 1.0
          : pre.getOptimizer().getLearningRate();
      pre = pre.toBuilder().optimizer(OptimizerConfig.builder().type(type).learningRate(lr).build()).build();
    }
    return CommonConfig.defaults(k).withSeed(seed).withScaling(scaling).withAutoencoder(arch).withPretraining(pre);
  }

  ClusteringAlgorithm algorithm(int k) {
    return Algorithms.create(method, common(k), options);
  }

  static final class MethodNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() { return Algorithms.names().iterator(); }
  }
}
