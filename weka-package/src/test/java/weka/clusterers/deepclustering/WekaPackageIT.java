package weka.clusterers.deepclustering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installs the built package zip into a temporary WEKA_HOME with Weka's own package manager (child JVM, headless) and
 * runs the clusterers through {@code weka.Run} as a user would: nothing of this module is on the child's class path.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WekaPackageIT {
  @TempDir static Path home;
  static String wekaClasspath;
  static Path iris;
  static final String TINY = "-N 3 -S 1 -hidden 32 -embedding 3 -pretrain-epochs 20 -pretrain-batch 32";

  record Result(int exit, String out) {}

  @BeforeAll
  static void install() throws Exception {
    wekaClasspath = Files.readString(Path.of(System.getProperty("weka.classpath.file"))).trim();
    iris = Path.of(System.getProperty("shared.data.dir"), "iris.arff").toAbsolutePath();
    Path zip = Path.of(System.getProperty("weka.package.zip"));
    assertTrue(Files.isRegularFile(zip), "package zip not built: " + zip);
    Result r = java("-Djava.awt.headless=true", "weka.core.WekaPackageManager", "-offline", "-install-package", zip.toString());
    assertEquals(0, r.exit(), r.out());
    Path installed = home.resolve("wekafiles/packages/DeepClustering");
    assertTrue(Files.isRegularFile(installed.resolve("Description.props")), r.out());
    assertTrue(Files.isRegularFile(installed.resolve("DeepClustering.jar")), r.out());
    try (var libs = Files.list(installed.resolve("lib"))) {
      List<String> names = libs.map(p -> p.getFileName().toString()).toList();
      assertTrue(names.stream().anyMatch(n -> n.startsWith("nd4j-native")), names.toString());
      assertTrue(names.stream().noneMatch(n -> n.startsWith("weka-stable") || n.startsWith("onnxruntime")), names.toString());
    }
  }

  static Result java(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-Duser.home=" + home, "-Dweka.packageManager.offline=true"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(home.toFile());
    pb.environment().put("WEKA_HOME", home.resolve("wekafiles").toString());
    pb.environment().put("CLASSPATH", wekaClasspath); // Weka and its dependencies only
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "child JVM did not finish");
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  static Result run(String clusterer, String options) throws Exception {
    List<String> args = new ArrayList<>(List.of("-Djava.awt.headless=true", "weka.Run", "-no-scan", clusterer));
    args.addAll(List.of(weka.core.Utils.splitOptions(options)));
    return java(args.toArray(String[]::new));
  }

  /** The "Clustered Instances" block of a ClusterEvaluation report. */
  static String clusteredInstances(String out) {
    int i = out.indexOf("Clustered Instances");
    assertTrue(i >= 0, out);
    return out.substring(i).trim();
  }

  @Test
  @Order(1)
  void trainSaveLoadGiveIdenticalAssignmentsAndExportOnnx() throws Exception {
    Path model = home.resolve("aekm.model");
    Path onnx = home.resolve("aekm.onnx");
    Result train = run("weka.clusterers.AutoencoderKMeans", "-t " + iris + " " + TINY + " -d " + model + " -onnx " + onnx);
    assertEquals(0, train.exit(), train.out());
    assertTrue(train.out().contains("Cluster sizes (training data)"), train.out());
    assertTrue(train.out().contains("AE+KMeans"), train.out());
    assertTrue(Files.size(model) > 0 && Files.size(onnx) > 0, train.out());

    Result load = run("weka.clusterers.AutoencoderKMeans", "-l " + model + " -T " + iris);
    assertEquals(0, load.exit(), load.out());
    assertEquals(clusteredInstances(train.out()), clusteredInstances(load.out()));
  }

  @Test
  @Order(2)
  void classesToClustersWithGmm() throws Exception {
    Result r = run("weka.clusterers.AutoencoderGMM", "-t " + iris + " " + TINY + " -c last");
    assertEquals(0, r.exit(), r.out());
    assertTrue(r.out().contains("Classes to Clusters"), r.out());
    assertTrue(r.out().contains("Incorrectly clustered instances"), r.out());
  }

  @Test
  @Order(3)
  void helpListsTheOptions() throws Exception {
    Result r = run("weka.clusterers.AutoencoderKMeans", "-h");
    assertTrue(r.out().contains("-pretrain-epochs"), r.out());
    assertTrue(r.out().contains("-kmeansRestarts"), r.out());
  }
}
