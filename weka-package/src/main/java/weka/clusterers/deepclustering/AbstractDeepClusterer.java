package weka.clusterers.deepclustering;

import java.io.File;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deepclustering.algorithms.Algorithms;
import org.deepclustering.algorithms.ClusteringAlgorithm;
import org.deepclustering.algorithms.CommonConfig;
import org.deepclustering.data.Dataset;
import org.deepclustering.data.Scaling;
import org.deepclustering.model.ClusteringModel;
import org.deepclustering.model.PretrainedAutoencoder;
import org.deepclustering.model.TrainingSummary;
import org.deepclustering.nn.Activation;
import org.deepclustering.nn.WeightInit;
import org.deepclustering.nn.AutoencoderConfig;
import org.deepclustering.nn.OptimizerConfig;
import org.deepclustering.nn.PretrainingConfig;
import org.deepclustering.onnx.OnnxExporter;
import org.deepclustering.train.TrainingDivergedException;
import org.deepclustering.train.TrainingEvent;
import org.deepclustering.train.TrainingInterruptedException;
import weka.clusterers.AbstractClusterer;
import weka.clusterers.NumberOfClustersRequestable;
import weka.core.BatchPredictor;
import weka.core.Capabilities;
import weka.core.Capabilities.Capability;
import weka.core.Instance;
import weka.core.Instances;
import weka.core.LogHandler;
import weka.core.OptionMetadata;
import weka.core.Randomizable;
import weka.core.RevisionUtils;
import weka.core.SelectedTag;
import weka.core.Tag;
import weka.core.TechnicalInformationHandler;
import weka.core.Utils;
import weka.core.logging.Logger;
import weka.filters.Filter;
import weka.filters.unsupervised.attribute.NominalToBinary;
import weka.filters.unsupervised.attribute.Remove;
import weka.filters.unsupervised.attribute.ReplaceMissingValues;

/**
 * What every deep clustering clusterer of the package shares: the common options (clusters, seed, scaling,
 * architecture, pretraining, files), Weka-style input handling (capabilities, class removal, ReplaceMissingValues and
 * NominalToBinary fitted on the training data and applied per instance), progress logging, interruption and the
 * report. A subclass names its core method, declares its method options (Config field names of the core method,
 * defaults read from the core) and gives the paper citation; it contains no algorithm code.
 *
 * <p>Lives outside {@code weka.clusterers} so that it does not appear in the Explorer's chooser.
 */
public abstract class AbstractDeepClusterer extends AbstractClusterer
    implements NumberOfClustersRequestable, Randomizable, TechnicalInformationHandler, LogHandler, BatchPredictor {

  @Serial private static final long serialVersionUID = 1L;

  /** Input scaling choices (core {@link Scaling}). */
  public static final Tag[] TAGS_SCALING = tags(Scaling.values());
  /** Hidden-layer activations (core {@link Activation}). */
  public static final Tag[] TAGS_ACTIVATION = tags(Activation.values());
  /** Initial weight distributions (core {@link WeightInit}). */
  public static final Tag[] TAGS_WEIGHT_INIT = tags(WeightInit.values());
  /** Pretraining optimizers (core {@link OptimizerConfig.Type}). */
  public static final Tag[] TAGS_OPTIMIZER = tags(OptimizerConfig.Type.values());

  private static final CommonConfig CORE_DEFAULTS = CommonConfig.defaults(2);
  private static final File NO_FILE = new File("");
  private static final String DEFAULT_PREDICTION_BATCH = "1024";

  // ------------------------------------------------------------------ options
  private int m_NumClusters = 2;
  private int m_Seed = (int) CORE_DEFAULTS.seed();
  private Scaling m_Scaling = Scaling.MIN_MAX;
  private String m_HiddenWidths = joinWidths(CORE_DEFAULTS.autoencoder().getHiddenWidths());
  private int m_EmbeddingDim = CORE_DEFAULTS.autoencoder().getEmbeddingDim();
  private Activation m_Activation = CORE_DEFAULTS.autoencoder().getActivation();
  private boolean m_BatchNorm = CORE_DEFAULTS.autoencoder().isBatchNorm();
  private double m_Dropout = CORE_DEFAULTS.autoencoder().getDropout();
  private double m_InputNoise = CORE_DEFAULTS.autoencoder().getInputNoise();
  private WeightInit m_WeightInit = CORE_DEFAULTS.autoencoder().getWeightInit();
  private String m_ImageShape = "";
  private String m_ConvChannels = joinWidths(CORE_DEFAULTS.autoencoder().getConvChannels());
  private String m_ConvKernels = joinWidths(CORE_DEFAULTS.autoencoder().getConvKernels());
  private int m_PretrainEpochs = CORE_DEFAULTS.pretraining().getEpochs();
  private int m_PretrainBatchSize = CORE_DEFAULTS.pretraining().getBatchSize();
  private OptimizerConfig.Type m_Optimizer = CORE_DEFAULTS.pretraining().getOptimizer().getType();
  private double m_PretrainLearningRate = CORE_DEFAULTS.pretraining().getOptimizer().getLearningRate();
  private boolean m_Layerwise = CORE_DEFAULTS.pretraining().isLayerwise();
  private int m_LayerwiseEpochs = CORE_DEFAULTS.pretraining().getLayerwiseEpochs();
  private double m_LayerwiseCorruption = CORE_DEFAULTS.pretraining().getLayerwiseCorruption();
  private File m_LoadAutoencoderFile = NO_FILE;
  private File m_SaveAutoencoderFile = NO_FILE;
  private File m_OnnxFile = NO_FILE;
  private String m_PredictionBatchSize = DEFAULT_PREDICTION_BATCH;
  /** Method options by core Config field name (Integer, Double or Boolean values). */
  private final LinkedHashMap<String, Object> m_MethodOptions = new LinkedHashMap<>();

  // ------------------------------------------------------------------ the trained model
  private ClusteringModel m_Model;
  private Remove m_RemoveClass;
  private ReplaceMissingValues m_ReplaceMissing;
  private NominalToBinary m_NominalToBinary;
  private Instances m_TrainingHeader;
  private int m_TrainingInstances;
  private int m_Features;
  private int[] m_DroppedColumns = new int[0];
  private String m_PretrainingReport;
  private double m_PretrainingSeconds;
  private Map<String, String> m_UsedMethodOptions;
  private Scaling m_UsedScaling;

  private transient weka.gui.Logger m_Log;

  // ------------------------------------------------------------------ what a subclass provides

  /** The core method name as registered in {@link Algorithms}, e.g. {@code "idec"}. */
  protected abstract String methodName();

  /** Short description of the method for {@link #globalInfo()}: what it does and when to use it. */
  public abstract String globalInfo();

  /**
   * Declares a method option: a field of the core method's Config record, of type Integer, Double, Boolean or String
   * (an enum's value name, shown with {@link #tagOption}). Its default is read from the core's {@code Config.defaults(k)}.
   */
  protected final void defineMethodOption(String field, Class<?> type) {
    m_MethodOptions.put(field, MethodDefaults.value(methodName(), field, type));
  }

  protected final int intOption(String field) { return (Integer) m_MethodOptions.get(field); }

  protected final double doubleOption(String field) { return (Double) m_MethodOptions.get(field); }

  protected final boolean booleanOption(String field) { return (Boolean) m_MethodOptions.get(field); }

  /** An enum-valued method option as the selected one of {@code tags} (made by {@link #tags}). */
  protected final SelectedTag tagOption(String field, Tag[] tags) {
    return new SelectedTag((String) m_MethodOptions.get(field), tags);
  }

  protected final void setTagOption(String field, SelectedTag tag) {
    setMethodOption(field, tag.getSelectedTag().getReadable());
  }

  protected final void setMethodOption(String field, Object value) {
    Object old = m_MethodOptions.get(field);
    if (old == null || old.getClass() != value.getClass()) {
      throw new IllegalStateException("undeclared method option " + field + " (" + value.getClass().getSimpleName() + ")");
    }
    m_MethodOptions.put(field, value);
  }

  /** The method options as the core's {@code Algorithms.create} (and the CLI's {@code --set}) take them. */
  public Map<String, String> methodOptions() {
    Map<String, String> out = new LinkedHashMap<>();
    m_MethodOptions.forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }

  // ------------------------------------------------------------------ common options

  @OptionMetadata(displayName = "numClusters", description = "Number of clusters k.", commandLineParamName = "N",
      commandLineParamSynopsis = "-N <int>", displayOrder = 1)
  public int getNumClusters() { return m_NumClusters; }

  @Override
  public void setNumClusters(int n) {
    if (n < 1) throw new IllegalArgumentException("the number of clusters (-N) must be at least 1, got " + n);
    m_NumClusters = n;
  }

  @OptionMetadata(displayName = "seed", description = "Random seed: weight initialisation, mini-batch order and k-means "
      + "seeding. The same seed gives the same clustering.", commandLineParamName = "S",
      commandLineParamSynopsis = "-S <int>", displayOrder = 2)
  @Override
  public int getSeed() { return m_Seed; }

  @Override
  public void setSeed(int seed) { m_Seed = seed; }

  @OptionMetadata(displayName = "scaling", description = "Input scaling, fitted on the training data and stored in the "
      + "model: NONE, MIN_MAX (per attribute to [0,1]; default here, as Weka normalises by default), Z_SCORE, or "
      + "SAMPLE_L2 (each row to norm sqrt(d), as DEC/IDEC do for text) or UNIT_MEAN_SQUARE (all values times one "
      + "factor, so their mean square is 1: DEC's normalisation of images). Ignored when a pretrained autoencoder is "
      + "loaded (its own scaling is used).", commandLineParamName = "scaling",
      commandLineParamSynopsis = "-scaling <NONE|MIN_MAX|Z_SCORE|SAMPLE_L2|UNIT_MEAN_SQUARE>", displayOrder = 3)
  public SelectedTag getScaling() { return new SelectedTag(m_Scaling.ordinal(), TAGS_SCALING); }

  public void setScaling(SelectedTag tag) {
    if (tag.getTags() == TAGS_SCALING) m_Scaling = Scaling.values()[tag.getSelectedTag().getID()];
  }

  @OptionMetadata(displayName = "hiddenLayers", description = "Widths of the encoder's hidden layers, input side first, "
      + "comma-separated (the decoder mirrors them). Papers: 500,500,2000. With imageShape set these are dense layers "
      + "between the convolutions and the embedding; the dense default 500,500,2000 then means none (DEKM's "
      + "architecture).", commandLineParamName = "hidden",
      commandLineParamSynopsis = "-hidden <w1,w2,...>", displayOrder = 10, category = "Architecture")
  public String getHiddenLayers() { return m_HiddenWidths; }

  // Weka's OptionMetadata handling prints and ignores a setter's exception, so text options are checked when the
  // clusterer is built (with a clear message), not here.
  public void setHiddenLayers(String widths) { m_HiddenWidths = widths == null ? "" : widths.trim(); }

  @OptionMetadata(displayName = "embeddingSize", description = "Width of the embedding (the encoder's output) in "
      + "which the clusters are found. Papers: 10.", commandLineParamName = "embedding",
      commandLineParamSynopsis = "-embedding <int>", displayOrder = 11, category = "Architecture")
  public int getEmbeddingSize() { return m_EmbeddingDim; }

  public void setEmbeddingSize(int d) { m_EmbeddingDim = d; }

  @OptionMetadata(displayName = "activation", description = "Activation of the hidden layers (embedding and output "
      + "layers are linear). Papers: RELU.", commandLineParamName = "activation",
      commandLineParamSynopsis = "-activation <RELU|LEAKY_RELU|TANH|SIGMOID|ELU|IDENTITY>", displayOrder = 12,
      category = "Architecture")
  public SelectedTag getActivation() { return new SelectedTag(m_Activation.ordinal(), TAGS_ACTIVATION); }

  public void setActivation(SelectedTag tag) {
    if (tag.getTags() == TAGS_ACTIVATION) m_Activation = Activation.values()[tag.getSelectedTag().getID()];
  }

  @OptionMetadata(displayName = "batchNorm", description = "Batch normalisation after every hidden linear layer.",
      commandLineParamName = "batch-norm", commandLineParamSynopsis = "-batch-norm", commandLineParamIsFlag = true,
      displayOrder = 13, category = "Architecture")
  public boolean getBatchNorm() { return m_BatchNorm; }

  public void setBatchNorm(boolean b) { m_BatchNorm = b; }

  @OptionMetadata(displayName = "dropout", description = "Dropout probability on every hidden layer during training "
      + "(0 = none).", commandLineParamName = "dropout", commandLineParamSynopsis = "-dropout <double in [0,1)>",
      displayOrder = 14, category = "Architecture")
  public double getDropout() { return m_Dropout; }

  public void setDropout(double p) { m_Dropout = p; }

  @OptionMetadata(displayName = "inputNoise", description = "Masking noise: fraction of input values set to 0 during "
      + "training (denoising autoencoder; 0 = none).", commandLineParamName = "input-noise",
      commandLineParamSynopsis = "-input-noise <double in [0,1)>", displayOrder = 15, category = "Architecture")
  public double getInputNoise() { return m_InputNoise; }

  public void setInputNoise(double p) { m_InputNoise = p; }

  @OptionMetadata(displayName = "weightInit", description = "Distribution of the initial weights: GLOROT_UNIFORM "
      + "(Keras' default, the IDEC and DEKM code) or FAN_IN_UNIFORM (+-1/sqrt(fan in): the DEC code's VarianceScaling, "
      + "which it pairs with SGD_MOMENTUM pretraining at learning rate 1).", commandLineParamName = "weight-init",
      commandLineParamSynopsis = "-weight-init <GLOROT_UNIFORM|FAN_IN_UNIFORM>", displayOrder = 19,
      category = "Architecture")
  public SelectedTag getWeightInit() { return new SelectedTag(m_WeightInit.ordinal(), TAGS_WEIGHT_INIT); }

  public void setWeightInit(SelectedTag tag) {
    if (tag.getTags() == TAGS_WEIGHT_INIT) m_WeightInit = WeightInit.values()[tag.getSelectedTag().getID()];
  }

  @OptionMetadata(displayName = "imageShape", description = "For image data: height,width,channels of each row "
      + "(rows hold the pixels channels-last, e.g. 28,28,1 for MNIST). Set: a convolutional autoencoder (DEKM's: "
      + "stride-2 convolutions, see convChannels/convKernels, then a dense embedding). Empty: a dense autoencoder. Use "
      + "scaling NONE or SAMPLE_L2 with images (constant border pixels cannot be min-max scaled).",
      commandLineParamName = "image-shape", commandLineParamSynopsis = "-image-shape <h,w,c>", displayOrder = 16,
      category = "Architecture")
  public String getImageShape() { return m_ImageShape; }

  public void setImageShape(String shape) { m_ImageShape = shape == null ? "" : shape.trim(); }

  @OptionMetadata(displayName = "convChannels", description = "Output channels of the convolutions, input side first "
      + "(DEKM: 32,64,128). Used only with imageShape.", commandLineParamName = "conv-channels",
      commandLineParamSynopsis = "-conv-channels <c1,c2,...>", displayOrder = 17, category = "Architecture")
  public String getConvChannels() { return m_ConvChannels; }

  public void setConvChannels(String channels) { m_ConvChannels = channels == null ? "" : channels.trim(); }

  @OptionMetadata(displayName = "convKernels", description = "Kernel sizes of the convolutions, one per convolution "
      + "(DEKM: 5,5,3; stride 2). Used only with imageShape.", commandLineParamName = "conv-kernels",
      commandLineParamSynopsis = "-conv-kernels <k1,k2,...>", displayOrder = 18, category = "Architecture")
  public String getConvKernels() { return m_ConvKernels; }

  public void setConvKernels(String kernels) { m_ConvKernels = kernels == null ? "" : kernels.trim(); }

  @OptionMetadata(displayName = "pretrainEpochs", description = "Autoencoder pretraining epochs (end to end). "
      + "Papers: 200 (DEC: layer-wise, then 100000+ iterations of fine-tuning).", commandLineParamName = "pretrain-epochs",
      commandLineParamSynopsis = "-pretrain-epochs <int>", displayOrder = 20, category = "Pretraining")
  public int getPretrainEpochs() { return m_PretrainEpochs; }

  public void setPretrainEpochs(int e) { m_PretrainEpochs = e; }

  @OptionMetadata(displayName = "pretrainBatchSize", description = "Mini-batch size of pretraining. Papers: 256.",
      commandLineParamName = "pretrain-batch", commandLineParamSynopsis = "-pretrain-batch <int>", displayOrder = 21,
      category = "Pretraining")
  public int getPretrainBatchSize() { return m_PretrainBatchSize; }

  public void setPretrainBatchSize(int b) { m_PretrainBatchSize = b; }

  @OptionMetadata(displayName = "optimizer", description = "Pretraining optimizer: ADAM (papers), SGD, SGD_MOMENTUM "
      + "(momentum 0.9), NESTEROV (momentum 0.9) or ADADELTA (use learning rate 1.0).", commandLineParamName = "optimizer",
      commandLineParamSynopsis = "-optimizer <ADAM|SGD|SGD_MOMENTUM|NESTEROV|ADADELTA>", displayOrder = 22,
      category = "Pretraining")
  public SelectedTag getOptimizer() { return new SelectedTag(m_Optimizer.ordinal(), TAGS_OPTIMIZER); }

  public void setOptimizer(SelectedTag tag) {
    if (tag.getTags() == TAGS_OPTIMIZER) m_Optimizer = OptimizerConfig.Type.values()[tag.getSelectedTag().getID()];
  }

  @OptionMetadata(displayName = "pretrainLearningRate", description = "Learning rate of the pretraining optimizer. "
      + "Papers (Adam): 0.001.", commandLineParamName = "pretrain-lr", commandLineParamSynopsis = "-pretrain-lr <double>",
      displayOrder = 23, category = "Pretraining")
  public double getPretrainLearningRate() { return m_PretrainLearningRate; }

  public void setPretrainLearningRate(double lr) { m_PretrainLearningRate = lr; }

  @OptionMetadata(displayName = "layerwise", description = "Greedy layer-wise pretraining (stacked denoising "
      + "autoencoders, as DEC) before the end-to-end epochs.", commandLineParamName = "layerwise",
      commandLineParamSynopsis = "-layerwise", commandLineParamIsFlag = true, displayOrder = 24, category = "Pretraining")
  public boolean getLayerwise() { return m_Layerwise; }

  public void setLayerwise(boolean b) { m_Layerwise = b; }

  @OptionMetadata(displayName = "layerwiseEpochs", description = "Epochs per layer of layer-wise pretraining.",
      commandLineParamName = "layerwise-epochs", commandLineParamSynopsis = "-layerwise-epochs <int>", displayOrder = 25,
      category = "Pretraining")
  public int getLayerwiseEpochs() { return m_LayerwiseEpochs; }

  public void setLayerwiseEpochs(int e) { m_LayerwiseEpochs = e; }

  @OptionMetadata(displayName = "layerwiseCorruption", description = "Masking noise and dropout of layer-wise "
      + "pretraining (DEC: 0.2).", commandLineParamName = "layerwise-corruption",
      commandLineParamSynopsis = "-layerwise-corruption <double in [0,1)>", displayOrder = 26, category = "Pretraining")
  public double getLayerwiseCorruption() { return m_LayerwiseCorruption; }

  public void setLayerwiseCorruption(double c) { m_LayerwiseCorruption = c; }

  @OptionMetadata(displayName = "loadPretrainedAutoencoder", description = "A pretrained autoencoder saved by "
      + "saveAutoencoder (or the deep-clustering tool): skips pretraining, so one pretraining serves several "
      + "clusterers. Must have been trained on data with the same attributes. Empty: pretrain here.",
      commandLineParamName = "load-ae", commandLineParamSynopsis = "-load-ae <file>", displayOrder = 30,
      category = "Files")
  public File getLoadPretrainedAutoencoder() { return m_LoadAutoencoderFile; }

  public void setLoadPretrainedAutoencoder(File f) { m_LoadAutoencoderFile = f == null ? NO_FILE : f; }

  @OptionMetadata(displayName = "saveAutoencoder", description = "Where to save the pretrained autoencoder (with its "
      + "scaling) after pretraining, for loadPretrainedAutoencoder. Empty: do not save.", commandLineParamName = "save-ae",
      commandLineParamSynopsis = "-save-ae <file>", displayOrder = 31, category = "Files")
  public File getSaveAutoencoder() { return m_SaveAutoencoderFile; }

  public void setSaveAutoencoder(File f) { m_SaveAutoencoderFile = f == null ? NO_FILE : f; }

  @OptionMetadata(displayName = "exportOnnx", description = "Where to write the trained model as an ONNX file (input "
      + "scaling, encoder and cluster head; runs in ONNX Runtime) after training. Empty: no export. Attributes are the "
      + "ones after NominalToBinary; missing values must be replaced before ONNX inference.",
      commandLineParamName = "onnx", commandLineParamSynopsis = "-onnx <file>", displayOrder = 32, category = "Files")
  public File getExportOnnx() { return m_OnnxFile; }

  public void setExportOnnx(File f) { m_OnnxFile = f == null ? NO_FILE : f; }

  @OptionMetadata(displayName = "predictionBatchSize", description = "Instances predicted together when Weka asks for "
      + "many at once (the Explorer's and ClusterEvaluation's evaluation do): they go through the encoder as one batch, "
      + "far faster than one at a time. Memory grows with it (4 bytes x attributes per instance). The results do not "
      + "depend on it beyond float rounding. Default: " + DEFAULT_PREDICTION_BATCH + ".", commandLineParamName = "prediction-batch",
      commandLineParamSynopsis = "-prediction-batch <int>", displayOrder = 33)
  @Override
  public String getBatchSize() { return m_PredictionBatchSize == null ? DEFAULT_PREDICTION_BATCH : m_PredictionBatchSize; }

  @Override
  public void setBatchSize(String size) { m_PredictionBatchSize = size == null ? DEFAULT_PREDICTION_BATCH : size.trim(); }

  @Override
  public boolean implementsMoreEfficientBatchPrediction() { return true; }

  @Override
  public void setLog(weka.gui.Logger log) { m_Log = log; }

  @Override
  public weka.gui.Logger getLog() { return m_Log; }

  // ------------------------------------------------------------------ Weka Clusterer API

  @Override
  public Capabilities getCapabilities() {
    Capabilities result = super.getCapabilities();
    result.disableAll();
    // the class attribute, if any, is removed before training
    result.enable(Capability.NO_CLASS);
    result.enable(Capability.NOMINAL_CLASS);
    result.enable(Capability.NUMERIC_CLASS);
    result.enable(Capability.MISSING_CLASS_VALUES);
    result.enable(Capability.NOMINAL_ATTRIBUTES);
    result.enable(Capability.NUMERIC_ATTRIBUTES);
    result.enable(Capability.MISSING_VALUES);
    result.setMinimumNumberInstances(1);
    return result;
  }

  @Override
  public void buildClusterer(Instances data) throws Exception {
    getCapabilities().testWithFail(data);
    m_Model = null;
    String method = methodName();

    Instances train = new Instances(data);
    m_TrainingHeader = new Instances(data, 0);
    m_RemoveClass = null;
    if (train.classIndex() >= 0) {
      m_RemoveClass = new Remove();
      m_RemoveClass.setAttributeIndicesArray(new int[] {train.classIndex()});
      m_RemoveClass.setInputFormat(train);
      train = Filter.useFilter(train, m_RemoveClass);
    }
    if (train.numAttributes() == 0) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": no attributes left to cluster on (the only "
          + "attribute is the class attribute)");
    }
    m_ReplaceMissing = new ReplaceMissingValues();
    m_ReplaceMissing.setInputFormat(train);
    train = Filter.useFilter(train, m_ReplaceMissing);
    m_NominalToBinary = new NominalToBinary();
    m_NominalToBinary.setInputFormat(train);
    train = Filter.useFilter(train, m_NominalToBinary);

    int n = train.numInstances();
    if (n < m_NumClusters) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": cannot make " + m_NumClusters + " clusters from "
          + "only " + n + " instance" + (n == 1 ? "" : "s") + ": set numClusters (-N) to at most " + n);
    }
    Dataset all = toDataset(train);
    // a constant attribute carries no cluster information and cannot be scaled by MIN_MAX or Z_SCORE: drop it
    // (like RemoveUseless), unless nothing would be left
    int[] constant = all.constantColumns();
    m_DroppedColumns = new int[0];
    // (the same rule applies when a saved autoencoder is loaded: use the options it was trained with)
    if (constant.length > 0 && constant.length < all.cols() && !isConvolutional()
        && (m_Scaling == Scaling.MIN_MAX || m_Scaling == Scaling.Z_SCORE)) {
      m_DroppedColumns = constant;
    }
    Dataset dataset = withoutDroppedColumns(all);
    m_TrainingInstances = n;
    m_Features = dataset.cols();

    CommonConfig common = new CommonConfig(m_NumClusters, m_Seed, m_Scaling, autoencoderConfig(), pretrainingConfig());
    Map<String, String> methodOptions = methodOptions();
    String name = getClass().getSimpleName();
    if (m_Log == null) m_Log = ExplorerLog.find(); // the Explorer's Cluster tab does not hand its log over
    withPackageClassLoader(() -> {
      try {
        ClusteringAlgorithm algorithm = Algorithms.create(method, common, methodOptions);
        PretrainedAutoencoder pretrained;
        if (isSet(m_LoadAutoencoderFile)) {
          pretrained = PretrainedAutoencoder.load(m_LoadAutoencoderFile.toPath());
          m_PretrainingReport = "loaded from " + m_LoadAutoencoderFile + " (" + pretrained.epochs() + " epochs, final "
              + "reconstruction loss " + fmt(pretrained.finalLoss()) + ", scaling " + pretrained.scaler().scaling() + ")";
          m_PretrainingSeconds = 0;
        } else {
          pretrained = PretrainedAutoencoder.train(dataset, common.scaling(), common.autoencoder(), common.pretraining(),
              common.seed(), this::onEpoch);
          m_PretrainingReport = pretrained.epochs() + " epochs, final reconstruction loss " + fmt(pretrained.finalLoss());
          m_PretrainingSeconds = pretrained.seconds();
        }
        m_UsedScaling = pretrained.scaler().scaling();
        if (isSet(m_SaveAutoencoderFile)) pretrained.save(m_SaveAutoencoderFile.toPath());
        m_Model = algorithm.fit(dataset, pretrained, this::onEpoch);
        if (isSet(m_OnnxFile)) OnnxExporter.export(m_Model, m_OnnxFile.toPath());
        return null;
      } catch (TrainingInterruptedException e) {
        m_Model = null;
        Thread.currentThread().interrupt();
        throw new Exception(name + ": training was stopped (the thread was interrupted, e.g. by Weka's Stop button); "
            + "no model was built", e);
      } catch (TrainingDivergedException e) {
        m_Model = null;
        throw new Exception(name + ": " + e.getMessage(), e);
      } catch (IOException e) {
        throw new IOException(name + ": " + e.getMessage(), e);
      }
    });
    m_UsedMethodOptions = methodOptions;
    log("finished: " + m_Model.summary().clusteringIterations() + " clustering iterations, cluster sizes "
        + Arrays.toString(m_Model.summary().clusterSizes()));
  }

  @Override
  public int clusterInstance(Instance instance) throws Exception {
    Dataset row = toRow(instance);
    return withPackageClassLoader(() -> m_Model.predict(row)[0]);
  }

  @Override
  public double[] distributionForInstance(Instance instance) throws Exception {
    Dataset row = toRow(instance);
    return withPackageClassLoader(() -> m_Model.probabilities(row));
  }

  /**
   * Soft assignments of many instances, {@link #getBatchSize()} at a time through the encoder. Weka's
   * {@code ClusterEvaluation} uses this when present and takes the most probable cluster of each, which is
   * {@link #clusterInstance}'s label. One at a time, the encoder reads all its weights for every instance: on
   * MNIST 551 us per instance against 54 us in batches (docs/weka.md).
   */
  @Override
  public double[][] distributionsForInstances(Instances instances) throws Exception {
    int batch = predictionBatchSize();
    int k = numberOfClusters();
    int n = instances.numInstances();
    double[][] out = new double[n][];
    for (int from = 0; from < n; from += batch) {
      int to = Math.min(n, from + batch);
      Dataset rows = toRows(instances, from, to);
      double[] p = withPackageClassLoader(() -> m_Model.probabilities(rows));
      for (int i = from; i < to; i++) out[i] = Arrays.copyOfRange(p, (i - from) * k, (i - from + 1) * k);
    }
    return out;
  }

  private int predictionBatchSize() {
    try {
      int b = Integer.parseInt(getBatchSize());
      if (b > 0) return b;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(getClass().getSimpleName() + ": predictionBatchSize (-prediction-batch) must be "
        + "a positive integer such as " + DEFAULT_PREDICTION_BATCH + "; got '" + getBatchSize() + "'");
  }

  @Override
  public int numberOfClusters() throws Exception {
    requireModel();
    return m_Model.numClusters();
  }

  /** The trained core model (null before training): to save with the deep-clustering tool's format or inspect. */
  public ClusteringModel getModel() { return m_Model; }

  @Override
  public String getRevision() { return RevisionUtils.extract("$Revision: 1 $"); }

  // ------------------------------------------------------------------ report

  @Override
  public String toString() {
    String title = getClass().getSimpleName();
    StringBuilder sb = new StringBuilder();
    sb.append('\n').append(title).append('\n').append("=".repeat(title.length())).append("\n\n");
    if (m_Model == null) return sb.append("No clusterer built yet!\n").toString();
    TrainingSummary s = m_Model.summary();
    sb.append("Method: ").append(m_Model.algorithm()).append(" (core method '").append(methodName()).append("')\n");
    sb.append("Method parameters: ").append(m_UsedMethodOptions.isEmpty() ? "none" : m_UsedMethodOptions.toString()
        .replaceAll("^\\{|\\}$", "")).append('\n');
    sb.append("Clusters: ").append(m_Model.numClusters()).append(", seed ").append(m_Seed).append('\n');
    sb.append("Input: ").append(m_TrainingInstances).append(" instances, ").append(m_Features)
        .append(" features after class removal, ReplaceMissingValues and NominalToBinary")
        .append(m_DroppedColumns.length > 0 ? " (" + m_DroppedColumns.length + " constant dropped)" : "")
        .append("; scaling ").append(m_UsedScaling).append('\n');
    sb.append("Autoencoder: ").append(m_Features).append('-').append(architectureText()).append(m_Model.embeddingDim())
        .append(" (mirrored decoder), ").append(m_Activation)
        .append(m_BatchNorm ? ", batch norm" : "").append(m_Dropout > 0 ? ", dropout " + m_Dropout : "")
        .append(m_InputNoise > 0 ? ", input noise " + m_InputNoise : "")
        .append(m_WeightInit != WeightInit.GLOROT_UNIFORM ? ", initial weights " + m_WeightInit : "").append('\n');
    sb.append("Pretraining: ").append(m_PretrainingReport).append('\n');
    sb.append("Clustering: ").append(s.clusteringIterations()).append(" iterations, stopped: ").append(s.stopReason())
        .append('\n');
    if (!s.finalLosses().isEmpty()) {
      sb.append("Final losses:");
      new java.util.TreeMap<>(s.finalLosses()).forEach((k, v) -> sb.append(' ').append(k).append(" = ").append(fmt(v)).append(';'));
      sb.setLength(sb.length() - 1);
      sb.append('\n');
    }
    sb.append(String.format(Locale.ROOT, "Time: pretraining %.2f s, clustering %.2f s%n", m_PretrainingSeconds,
        s.clusteringSeconds()));
    sb.append("Soft assignments: ").append(m_Model.hasNativeSoftAssignments() ? "the method's own"
        : "distance-based fallback (the method defines only hard assignments)").append("\n\n");
    sb.append("Cluster sizes (training data):\n");
    int[] sizes = s.clusterSizes();
    for (int c = 0; c < sizes.length; c++) {
      sb.append(String.format(Locale.ROOT, "Cluster %d: %d (%.0f%%)%n", c, sizes[c], 100.0 * sizes[c] / Math.max(1, m_TrainingInstances)));
    }
    return sb.toString();
  }

  // ------------------------------------------------------------------ helpers

  private AutoencoderConfig autoencoderConfig() {
    AutoencoderConfig.Builder b = AutoencoderConfig.builder().embeddingDim(m_EmbeddingDim).activation(m_Activation)
        .batchNorm(m_BatchNorm).dropout(m_Dropout).inputNoise(m_InputNoise).weightInit(m_WeightInit);
    if (!isConvolutional()) return b.hiddenWidths(parseWidths(m_HiddenWidths)).build();
    int[] shape = parseWidths(m_ImageShape, "image shape", "28,28,1");
    if (shape.length != 3) {
      throw new IllegalArgumentException("image shape must be height,width,channels such as 28,28,1; got '" + m_ImageShape + "'");
    }
    b.imageShape(shape)
        .convChannels(parseWidths(m_ConvChannels, "convolution channels", "32,64,128"))
        .convKernels(parseWidths(m_ConvKernels, "convolution kernel sizes", "5,5,3"));
    // the dense default widths mean "the architecture's default", which for a convolutional encoder is no dense layer
    if (!m_HiddenWidths.equals(joinWidths(CORE_DEFAULTS.autoencoder().getHiddenWidths()))) {
      b.hiddenWidths(parseWidths(m_HiddenWidths));
    }
    return b.build();
  }

  private boolean isConvolutional() { return !m_ImageShape.isEmpty(); }

  /** The layers between input and embedding, for the report, e.g. "500-500-2000-" or "conv[32,64,128 k5,5,3]-". */
  private String architectureText() {
    AutoencoderConfig a = m_Model.autoencoder().config();
    StringBuilder sb = new StringBuilder();
    if (a.getImageShape() != null) {
      sb.append("image ").append(joinWidths(a.getImageShape())).append(" conv[").append(joinWidths(a.getConvChannels()))
          .append(" k").append(joinWidths(a.getConvKernels())).append(" s").append(a.getConvStride()).append("]-");
    }
    for (int w : a.getHiddenWidths()) sb.append(w).append('-');
    return sb.toString();
  }

  private PretrainingConfig pretrainingConfig() {
    OptimizerConfig optimizer = OptimizerConfig.builder().type(m_Optimizer).learningRate(m_PretrainLearningRate).build();
    return PretrainingConfig.builder().epochs(m_PretrainEpochs).batchSize(m_PretrainBatchSize).optimizer(optimizer)
        .layerwise(m_Layerwise).layerwiseEpochs(m_LayerwiseEpochs).layerwiseCorruption(m_LayerwiseCorruption).build();
  }

  static int[] parseWidths(String widths) {
    return parseWidths(widths, "hidden layer widths", "500,500,2000");
  }

  static int[] parseWidths(String widths, String what, String example) {
    if (widths == null || widths.isBlank()) return new int[0];
    String[] parts = widths.trim().split("\\s*,\\s*");
    int[] w = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        w[i] = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        w[i] = -1;
      }
      if (w[i] <= 0) {
        throw new IllegalArgumentException(what + " must be comma-separated positive integers such as " + example
            + "; got '" + widths + "'");
      }
    }
    return w;
  }

  private static String joinWidths(int[] w) {
    StringBuilder sb = new StringBuilder();
    for (int x : w) sb.append(sb.length() == 0 ? "" : ",").append(x);
    return sb.toString();
  }

  /** Drop-down tags of an enum's values: id = ordinal, text = name. */
  protected static Tag[] tags(Enum<?>[] values) {
    Tag[] t = new Tag[values.length];
    for (Enum<?> v : values) t[v.ordinal()] = new Tag(v.ordinal(), v.name());
    return t;
  }

  private static boolean isSet(File f) { return f != null && !f.getPath().isEmpty(); }

  private static String fmt(double v) { return Utils.doubleToString(v, 6).trim(); }

  private Dataset toDataset(Instances data) {
    int n = data.numInstances();
    int d = data.numAttributes();
    float[] values = new float[n * d];
    for (int i = 0; i < n; i++) {
      Instance inst = data.instance(i);
      for (int j = 0; j < d; j++) values[i * d + j] = (float) inst.value(j);
    }
    List<String> names = new ArrayList<>(d);
    for (int j = 0; j < d; j++) names.add(data.attribute(j).name());
    return Dataset.ofRowMajor(values, n, d).withFeatureNames(names);
  }

  /** Applies the training-time filters to one instance. */
  private synchronized Dataset toRow(Instance instance) throws Exception {
    requireModel();
    float[] v = filteredValues(instance);
    return withoutDroppedColumns(Dataset.ofRowMajor(v, 1, v.length));
  }

  /** Applies the training-time filters to the instances {@code [from, to)} (at least one). */
  private synchronized Dataset toRows(Instances instances, int from, int to) throws Exception {
    requireModel();
    float[] values = null;
    int d = 0;
    for (int i = from; i < to; i++) {
      float[] v = filteredValues(instances.instance(i));
      if (values == null) {
        d = v.length;
        values = new float[(to - from) * d];
      }
      System.arraycopy(v, 0, values, (i - from) * d, d);
    }
    return withoutDroppedColumns(Dataset.ofRowMajor(values, to - from, d));
  }

  private Dataset withoutDroppedColumns(Dataset rows) {
    return m_DroppedColumns.length == 0 ? rows : rows.withoutColumns(m_DroppedColumns);
  }

  /**
   * The instance through the training-time filters. When training had a class attribute, instances without it are
   * accepted as well: Weka's ClusterEvaluation removes the class before it asks for predictions.
   */
  private float[] filteredValues(Instance instance) throws Exception {
    int trained = m_TrainingHeader.numAttributes();
    boolean classAlreadyRemoved = m_RemoveClass != null && instance.numAttributes() == trained - 1;
    if (instance.numAttributes() != trained && !classAlreadyRemoved) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": the instance has " + instance.numAttributes()
          + " attributes but the clusterer was trained on " + trained + (m_RemoveClass != null ? " (" + (trained - 1)
          + " without the class)" : "") + ": use the same attributes as for training");
    }
    Instance x = instance;
    if (m_RemoveClass != null && !classAlreadyRemoved) x = filter(m_RemoveClass, x);
    x = filter(m_ReplaceMissing, x);
    x = filter(m_NominalToBinary, x);
    float[] v = new float[x.numAttributes()];
    for (int j = 0; j < v.length; j++) v[j] = (float) x.value(j);
    return v;
  }

  private static Instance filter(Filter f, Instance x) throws Exception {
    if (!f.input(x)) f.batchFinished();
    Instance out = f.output();
    if (out == null) throw new IllegalStateException("filter " + f.getClass().getSimpleName() + " produced no output");
    return out;
  }

  private void requireModel() throws Exception {
    if (m_Model == null) throw new Exception(getClass().getSimpleName() + ": no model built yet (call buildClusterer first)");
  }

  private void onEpoch(TrainingEvent e) {
    StringBuilder losses = new StringBuilder();
    new java.util.TreeMap<>(e.losses()).forEach((k, v) -> losses.append(", ").append(k).append(' ').append(fmt(v)));
    String msg = String.format(Locale.ROOT, "%s %s %d/%d%s%s (%.1f s)", getClass().getSimpleName(), e.stage(), e.epoch(),
        e.totalEpochs(), losses, Double.isNaN(e.labelChangeFraction()) ? ""
            : String.format(Locale.ROOT, ", labels changed %.4f", e.labelChangeFraction()), e.elapsedSeconds());
    if (m_Log != null) m_Log.statusMessage(msg);
    // every epoch to the status bar; to the Weka log the first, every tenth of the run, and the last
    int every = Math.max(1, e.totalEpochs() / 10);
    if (e.epoch() == 1 || e.epoch() % every == 0 || e.epoch() == e.totalEpochs()) log(msg);
  }

  private void log(String msg) {
    Logger.log(Logger.Level.INFO, msg);
    if (m_Log != null) m_Log.logMessage(msg);
  }

  /**
   * Runs {@code body} with the thread's context class loader set to the package's class loader: ND4J finds its
   * backend through it, and inside Weka the package has its own class loader.
   */
  static <T> T withPackageClassLoader(Callable<T> body) throws Exception {
    Thread t = Thread.currentThread();
    ClassLoader old = t.getContextClassLoader();
    t.setContextClassLoader(AbstractDeepClusterer.class.getClassLoader());
    try {
      return body.call();
    } finally {
      t.setContextClassLoader(old);
    }
  }

  @Serial
  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    // the model's bytes are turned back into ND4J arrays while reading: ND4J needs the package's class loader
    Thread t = Thread.currentThread();
    ClassLoader old = t.getContextClassLoader();
    t.setContextClassLoader(AbstractDeepClusterer.class.getClassLoader());
    try {
      in.defaultReadObject();
    } finally {
      t.setContextClassLoader(old);
    }
  }
}
