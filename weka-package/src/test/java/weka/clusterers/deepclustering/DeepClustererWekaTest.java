package weka.clusterers.deepclustering;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.deepclustering.nn.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import weka.clusterers.AutoencoderGMM;
import weka.clusterers.AutoencoderKMeans;
import weka.clusterers.DCN;
import weka.clusterers.DEC;
import weka.clusterers.DEKM;
import weka.clusterers.DeepClusterGMM;
import weka.clusterers.DeepClusterKMeans;
import weka.clusterers.IDEC;
import weka.core.Attribute;
import weka.core.DenseInstance;
import weka.core.Instances;
import weka.core.SelectedTag;
import weka.core.SerializationHelper;
import weka.core.Utils;
import weka.core.WekaException;

/** In-process tests of the Weka wrappers: options, capabilities, prediction, serialisation, interruption. */
class DeepClustererWekaTest {

  static List<AbstractDeepClusterer> all() {
    return List.of(new AutoencoderKMeans(), new AutoencoderGMM(), new DCN(), new DEC(), new IDEC(), new DEKM(),
        new DeepClusterKMeans(), new DeepClusterGMM());
  }

  /** Tiny architecture so each fit takes well under a second. */
  static <T extends AbstractDeepClusterer> T tiny(T c, int k) throws Exception {
    c.setOptions(Utils.splitOptions("-N " + k + " -S 3 -hidden 32 -embedding 3 -pretrain-epochs 5 -pretrain-batch 32"));
    return c;
  }

  static Instances iris() throws Exception {
    Path p = Path.of(System.getProperty("shared.data.dir", "../../shared/data"), "iris.arff");
    Instances data = new Instances(Files.newBufferedReader(p));
    data.setClassIndex(data.numAttributes() - 1);
    return data;
  }

  @ParameterizedTest
  @MethodSource("all")
  void optionsRoundTrip(AbstractDeepClusterer c) throws Exception {
    String[] defaults = c.getOptions();
    // change every common option and let getOptions -> setOptions -> getOptions reproduce them
    c.setOptions(Utils.splitOptions("-N 5 -S 42 -scaling Z_SCORE -hidden 64,16 -embedding 4 -activation TANH -batch-norm "
        + "-dropout 0.1 -input-noise 0.2 -weight-init FAN_IN_UNIFORM -pretrain-epochs 7 -pretrain-batch 64 -optimizer SGD_MOMENTUM -pretrain-lr 0.01 "
        + "-layerwise -layerwise-epochs 3 -layerwise-corruption 0.3 -load-ae in.zip -save-ae out.zip -onnx model.onnx"));
    String[] changed = c.getOptions();
    assertNotEquals(String.join(" ", defaults), String.join(" ", changed));
    AbstractDeepClusterer copy = c.getClass().getDeclaredConstructor().newInstance();
    copy.setOptions(changed.clone());
    assertArrayEquals(changed, copy.getOptions());
    assertEquals(5, copy.getNumClusters());
    assertEquals("64,16", copy.getHiddenLayers());
    assertEquals("FAN_IN_UNIFORM", copy.getWeightInit().getSelectedTag().getReadable());
    assertEquals(new File("out.zip"), copy.getSaveAutoencoder());
    // the defaults round-trip too, and the method options are all on the command line
    AbstractDeepClusterer fresh = c.getClass().getDeclaredConstructor().newInstance();
    fresh.setOptions(defaults.clone());
    assertArrayEquals(defaults, fresh.getOptions());
    fresh.methodOptions().forEach((field, value) -> {
      if (!value.equals("false")) {
        String flag = "-" + RENAMED_FLAGS.getOrDefault(field, field);
        assertTrue(List.of(defaults).contains(flag), flag + " missing from " + String.join(" ", defaults));
      }
    });
  }

  /** Method options whose Weka flag differs from the core field (it would collide with a shared option). */
  private static final Map<String, String> RENAMED_FLAGS = Map.of("optimizer", "clustering-optimizer");

  private static String coreField(String flag) {
    return RENAMED_FLAGS.entrySet().stream().filter(e -> e.getValue().equals(flag)).map(Map.Entry::getKey)
        .findFirst().orElse(flag);
  }

  @Test
  void clusteringOptimizerReachesTheCoreMethod() throws Exception {
    DEC dec = new DEC();
    assertEquals("ADAM", dec.getClusteringOptimizer().getSelectedTag().getReadable());
    dec.setOptions(Utils.splitOptions("-clustering-optimizer SGD_MOMENTUM -momentum 0.9 -learningRate 0.01"));
    assertEquals("SGD_MOMENTUM", dec.getClusteringOptimizer().getSelectedTag().getReadable());
    var core = (org.deepclustering.algorithms.DEC) org.deepclustering.algorithms.Algorithms.create("dec",
        org.deepclustering.algorithms.CommonConfig.defaults(3), dec.methodOptions());
    assertEquals(org.deepclustering.algorithms.ClusteringOptimizer.SGD_MOMENTUM, core.config().optimizer());
    assertEquals(0.9, core.config().momentum());
    IDEC idec = new IDEC();
    idec.setClusteringOptimizer(new SelectedTag("SGD_MOMENTUM", IDEC.TAGS_CLUSTERING_OPTIMIZER));
    assertEquals("SGD_MOMENTUM", idec.methodOptions().get("optimizer"));
    assertTrue(String.join(" ", idec.getOptions()).contains("-clustering-optimizer SGD_MOMENTUM"));
  }

  @ParameterizedTest
  @MethodSource("all")
  void methodOptionsAreFieldsOfTheCoreConfigWithItsDefaults(AbstractDeepClusterer c) throws Exception {
    String method = c.methodName();
    JsonNode tree = MethodDefaults.tree(method);
    for (Map.Entry<String, String> o : c.methodOptions().entrySet()) {
      assertTrue(tree.has(o.getKey()), method + " Config has no field " + o.getKey());
      if (tree.get(o.getKey()).isTextual()) assertEquals(tree.get(o.getKey()).asText(), o.getValue(), o.getKey());
      else assertEquals(tree.get(o.getKey()).asDouble(),
          Double.parseDouble(o.getValue().replace("false", "0").replace("true", "1")), 1e-12, o.getKey());
    }
    // and the core accepts them as they are passed
    org.deepclustering.algorithms.Algorithms.create(method, org.deepclustering.algorithms.CommonConfig.defaults(3),
        c.methodOptions());
  }

  /**
   * Batch prediction (what Weka's ClusterEvaluation uses) gives each instance's own distribution, in batches of any
   * size, and the evaluation's assignments are clusterInstance's labels.
   */
  @ParameterizedTest
  @MethodSource("all")
  void batchPredictionEqualsPredictionOneByOne(AbstractDeepClusterer c) throws Exception {
    Instances data = iris();
    tiny(c, 3);
    c.setBatchSize("7"); // 150 instances: 21 full batches and a last one of 3
    c.buildClusterer(data);
    assertTrue(c.implementsMoreEfficientBatchPrediction());
    double[][] batch = c.distributionsForInstances(data);
    assertEquals(data.numInstances(), batch.length);
    for (int i = 0; i < data.numInstances(); i++) {
      // one instance runs the dense layers as sgemv, a batch as sgemm: float32 rounding differs slightly, and the
      // Gaussian-mixture posteriors amplify it (measured up to 3e-6 here)
      assertArrayEquals(c.distributionForInstance(data.instance(i)), batch[i], 1e-5, "instance " + i);
    }
    weka.clusterers.ClusterEvaluation eval = new weka.clusterers.ClusterEvaluation();
    eval.setClusterer(c);
    eval.evaluateClusterer(data);
    double[] assigned = eval.getClusterAssignments();
    for (int i = 0; i < data.numInstances(); i++) {
      assertEquals(c.clusterInstance(data.instance(i)), (int) assigned[i], "instance " + i);
    }
    assertEquals(0, c.distributionsForInstances(new Instances(data, 0)).length);
    Instances fewer = new Instances(data);
    fewer.setClassIndex(-1);
    fewer.deleteAttributeAt(0);
    fewer.deleteAttributeAt(0); // 3 attributes: neither the training's 5 nor 4 without the class
    IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> c.distributionsForInstances(fewer));
    assertTrue(wrong.getMessage().contains("has 3 attributes but the clusterer was trained on 5 (4 without the class)"),
        wrong.getMessage());
    c.setBatchSize("many");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.distributionsForInstances(data));
    assertTrue(e.getMessage().contains("-prediction-batch"), e.getMessage());
  }

  @Test
  void clustersIrisWithClassAttributeSetAndGivesDistributions() throws Exception {
    Instances data = iris();
    AutoencoderKMeans c = tiny(new AutoencoderKMeans(), 3);
    c.setWeightInit(new SelectedTag(WeightInit.FAN_IN_UNIFORM.ordinal(), AbstractDeepClusterer.TAGS_WEIGHT_INIT));
    c.buildClusterer(data);
    assertEquals(3, c.numberOfClusters());
    assertEquals(WeightInit.FAN_IN_UNIFORM, c.getModel().autoencoder().config().getWeightInit(),
        "the option reaches the trained network");
    for (int i = 0; i < data.numInstances(); i += 7) {
      double[] p = c.distributionForInstance(data.instance(i));
      assertEquals(3, p.length);
      assertEquals(1.0, p[0] + p[1] + p[2], 1e-5);
      assertEquals(Utils.maxIndex(p), c.clusterInstance(data.instance(i)));
    }
    String report = c.toString();
    assertTrue(report.contains("Cluster sizes"), report);
    assertTrue(report.contains("4 features"), report); // the class attribute was removed
    assertTrue(report.contains("kmeans-inertia"), report);
  }

  @Test
  void gmmDistributionsSumToOne() throws Exception {
    Instances data = iris();
    AutoencoderGMM c = tiny(new AutoencoderGMM(), 3);
    c.buildClusterer(data);
    for (int i = 0; i < data.numInstances(); i += 11) {
      double[] p = c.distributionForInstance(data.instance(i));
      double sum = 0;
      for (double v : p) sum += v;
      assertEquals(1.0, sum, 1e-5);
    }
    assertTrue(c.toString().contains("the method's own"), c.toString());
  }

  /** Mixed data: one nominal attribute with 3 values, one numeric, missing values in both. */
  static Instances mixed(int n, boolean missing) {
    ArrayList<Attribute> atts = new ArrayList<>();
    atts.add(new Attribute("colour", List.of("red", "green", "blue")));
    atts.add(new Attribute("size"));
    Instances data = new Instances("mixed", atts, n);
    for (int i = 0; i < n; i++) {
      double[] v = {i % 3, (i % 3) * 10 + (i % 5)};
      if (missing && i % 4 == 1) v[0] = Utils.missingValue();
      if (missing && i % 6 == 2) v[1] = Utils.missingValue();
      data.add(new DenseInstance(1.0, v));
    }
    return data;
  }

  @Test
  void nominalAttributesAreBinarisedAndMissingValuesReplaced() throws Exception {
    Instances data = mixed(30, true);
    AutoencoderKMeans c = tiny(new AutoencoderKMeans(), 3);
    c.buildClusterer(data);
    assertTrue(c.toString().contains("4 features"), c.toString()); // 3 binary indicators + size
    // a constant attribute is dropped before MIN_MAX scaling
    Instances withConstant = mixed(30, false);
    withConstant.insertAttributeAt(new Attribute("constant"), 2);
    for (int i = 0; i < withConstant.numInstances(); i++) withConstant.instance(i).setValue(2, 7.0);
    AutoencoderKMeans d = tiny(new AutoencoderKMeans(), 3);
    d.buildClusterer(withConstant);
    assertTrue(d.toString().contains("(1 constant dropped)"), d.toString());
    assertEquals(d.clusterInstance(withConstant.instance(4)), d.clusterInstance(withConstant.instance(4)));
    double[] p = c.distributionForInstance(data.instance(1)); // has a missing value
    assertEquals(1.0, p[0] + p[1] + p[2], 1e-5);
  }

  @Test
  void rejectsStringAndDateAttributesWithWekasMessage() throws Exception {
    for (Attribute bad : List.of(new Attribute("text", (List<String>) null), new Attribute("when", "yyyy-MM-dd"))) {
      ArrayList<Attribute> atts = new ArrayList<>(List.of(new Attribute("x"), bad));
      Instances data = new Instances("bad", atts, 2);
      DenseInstance row = new DenseInstance(2);
      row.setDataset(data);
      row.setValue(0, 1.0);
      if (bad.isString()) row.setValue(1, "hello");
      else row.setValue(1, bad.parseDate("2024-01-02"));
      data.add(row);
      WekaException e = assertThrows(WekaException.class, () -> tiny(new AutoencoderKMeans(), 1).buildClusterer(data));
      assertTrue(e.getMessage().contains("Cannot handle"), e.getMessage());
    }
  }

  @Test
  void emptyDataOneInstanceAndTooManyClusters() throws Exception {
    Instances empty = new Instances(mixed(5, false), 0);
    Exception e = assertThrows(Exception.class, () -> tiny(new AutoencoderKMeans(), 2).buildClusterer(empty));
    assertTrue(e.getMessage().toLowerCase().contains("instance"), e.getMessage());

    Instances one = new Instances(mixed(5, false), 0, 1);
    AutoencoderKMeans single = tiny(new AutoencoderKMeans(), 1);
    single.setScaling(new weka.core.SelectedTag("NONE", AbstractDeepClusterer.TAGS_SCALING)); // one row: every attribute is constant
    single.buildClusterer(one);
    assertEquals(0, single.clusterInstance(one.instance(0)));

    IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
        () -> tiny(new AutoencoderKMeans(), 4).buildClusterer(new Instances(mixed(5, false), 0, 3)));
    assertTrue(tooMany.getMessage().contains("cannot make 4 clusters from only 3 instances"), tooMany.getMessage());
  }

  @Test
  void serialisationRoundTripGivesTheSameAssignments(@TempDir Path dir) throws Exception {
    Instances data = iris();
    AutoencoderKMeans c = tiny(new AutoencoderKMeans(), 3);
    c.buildClusterer(data);
    File file = dir.resolve("model.ser").toFile();
    SerializationHelper.write(file.getPath(), c);
    AutoencoderKMeans back = (AutoencoderKMeans) SerializationHelper.read(file.getPath());
    for (int i = 0; i < data.numInstances(); i++) {
      assertEquals(c.clusterInstance(data.instance(i)), back.clusterInstance(data.instance(i)));
      assertArrayEquals(c.distributionForInstance(data.instance(i)), back.distributionForInstance(data.instance(i)), 1e-7);
    }
    assertEquals(c.toString(), back.toString());
  }

  @Test
  void savedPretrainedAutoencoderServesAnotherClustererAndOnnxExportWorks(@TempDir Path dir) throws Exception {
    Instances data = iris();
    Path ae = dir.resolve("ae.zip");
    Path onnx = dir.resolve("model.onnx");
    AutoencoderKMeans first = tiny(new AutoencoderKMeans(), 3);
    first.setSaveAutoencoder(ae.toFile());
    first.setExportOnnx(onnx.toFile());
    first.buildClusterer(data);
    assertTrue(Files.size(ae) > 0);
    assertTrue(Files.size(onnx) > 0);
    // ONNX Runtime is not on the class path of the package: the export must not need it
    assertThrows(ClassNotFoundException.class, () -> Class.forName("ai.onnxruntime.OrtEnvironment"));

    AutoencoderGMM second = tiny(new AutoencoderGMM(), 3);
    second.setLoadPretrainedAutoencoder(ae.toFile());
    second.buildClusterer(data);
    assertTrue(second.toString().contains("loaded from " + ae), second.toString());
    // with the same pretrained autoencoder and seed, AE+KMeans reproduces the first clustering exactly
    AutoencoderKMeans again = tiny(new AutoencoderKMeans(), 3);
    again.setLoadPretrainedAutoencoder(ae.toFile());
    again.buildClusterer(data);
    for (int i = 0; i < data.numInstances(); i++) {
      assertEquals(first.clusterInstance(data.instance(i)), again.clusterInstance(data.instance(i)));
    }
  }

  @Test
  void interruptStopsTrainingPromptlyWithAClearMessage() throws Exception {
    Instances data = iris();
    AutoencoderKMeans c = tiny(new AutoencoderKMeans(), 3);
    c.setPretrainEpochs(1_000_000);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        c.buildClusterer(data);
      } catch (Throwable e) {
        thrown.set(e);
      }
    });
    t.start();
    Thread.sleep(1500);
    long start = System.nanoTime();
    t.interrupt();
    t.join(10_000);
    assertTrue(!t.isAlive(), "training did not stop within 10 s of the interrupt");
    assertTrue((System.nanoTime() - start) / 1e9 < 5, "stopping took too long");
    Throwable e = thrown.get();
    assertTrue(e != null && e.getMessage().contains("training was stopped"), String.valueOf(e));
    assertThrows(Exception.class, c::numberOfClusters); // no half-built model
  }

  /** The tooltip of every method option states the core's default ("Default: X."), so the GUI tells the truth. */
  @ParameterizedTest
  @MethodSource("all")
  void optionTooltipsStateTheCoreDefaults(AbstractDeepClusterer c) throws Exception {
    JsonNode tree = MethodDefaults.tree(c.methodName());
    int checked = 0;
    for (java.lang.reflect.Method m : c.getClass().getDeclaredMethods()) {
      weka.core.OptionMetadata meta = m.getAnnotation(weka.core.OptionMetadata.class);
      if (meta == null) continue;
      java.util.regex.Matcher d = java.util.regex.Pattern.compile("Default: (\\S+?)\\.?$").matcher(meta.description());
      assertTrue(d.find(), meta.displayName() + ": no 'Default: X.' in " + meta.description());
      JsonNode core = tree.get(coreField(meta.commandLineParamName()));
      assertTrue(core != null, meta.commandLineParamName() + " is not a core option");
      if (core.isBoolean() || core.isTextual()) assertEquals(core.asText(), d.group(1), meta.displayName());
      else assertEquals(core.asDouble(), Double.parseDouble(d.group(1)), 1e-12, meta.displayName());
      checked++;
    }
    assertEquals(c.methodOptions().size(), checked, "every method option has a tooltip");
  }

  @Test
  void convolutionalAutoencoderOnImageRows() throws Exception {
    // digits: 8x8 grey images as 64 numeric attributes (channels-last = row-major pixels)
    Path p = Path.of(System.getProperty("shared.data.dir", "../../shared/data"), "digits.arff.gz");
    Instances data = weka.core.converters.ConverterUtils.DataSource.read(p.toString());
    data.setClassIndex(data.numAttributes() - 1);
    DEKM c = new DEKM();
    c.setOptions(Utils.splitOptions("-N 10 -S 1 -scaling NONE -image-shape 8,8,1 -conv-channels 8,16 -conv-kernels 3,3 "
        + "-embedding 10 -pretrain-epochs 3 -pretrain-batch 64 -maxIterations 30"));
    assertEquals("8,8,1", c.getImageShape());
    c.buildClusterer(data);
    assertEquals(10, c.numberOfClusters());
    String report = c.toString();
    assertTrue(report.contains("image 8,8,1 conv[8,16 k3,3 s2]-10"), report);
    AbstractDeepClusterer copy = new DEKM();
    copy.setOptions(c.getOptions());
    assertArrayEquals(c.getOptions(), copy.getOptions());
    DEKM twoNumbers = new DEKM();
    twoNumbers.setOptions(Utils.splitOptions("-N 3 -scaling NONE -image-shape 8,8 -pretrain-epochs 1"));
    Exception e = assertThrows(Exception.class, () -> twoNumbers.buildClusterer(data));
    assertTrue(e.getMessage().contains("height,width,channels"), e.getMessage());
    DEKM wrongShape = new DEKM();
    wrongShape.setOptions(Utils.splitOptions("-N 3 -scaling NONE -image-shape 9,9,1 -pretrain-epochs 1"));
    Exception shape = assertThrows(Exception.class, () -> wrongShape.buildClusterer(data));
    assertTrue(shape.getMessage().contains("imageShape"), shape.getMessage());
  }
}
