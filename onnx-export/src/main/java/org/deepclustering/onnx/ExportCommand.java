package org.deepclustering.onnx;

import java.nio.file.Files;
import java.nio.file.Path;
import org.deepclustering.model.ClusteringModel;

/**
 * Command line: {@code java -cp ... org.deepclustering.onnx.ExportCommand <model.zip> <out.onnx>} converts a saved
 * {@link ClusteringModel} to ONNX. Exit status 0 on success, 1 on an error, 2 on a usage error.
 */
public final class ExportCommand {
  private ExportCommand() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command; returns the exit status. */
  public static int run(String[] args) {
    if (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help"))) {
      System.out.println(usage());
      return 0;
    }
    if (args.length != 2) {
      System.err.println(usage());
      return 2;
    }
    Path in = Path.of(args[0]);
    Path out = Path.of(args[1]);
    if (!Files.isRegularFile(in)) {
      System.err.println("error: model file not found: " + in);
      return 1;
    }
    try {
      ClusteringModel model = ClusteringModel.load(in);
      OnnxExporter.export(model, out);
      System.out.println("wrote " + out + " (" + Files.size(out) + " bytes): " + model);
      return 0;
    } catch (Exception e) {
      System.err.println("error: cannot export " + in + ": " + e.getMessage());
      return 1;
    }
  }

  static String usage() {
    return "usage: ExportCommand <model.zip> <out.onnx>\n"
        + "  Converts a saved deep-clustering model (ClusteringModel.save) to an ONNX model\n"
        + "  (opset 17; input 'input' float32 [N,d]; outputs 'embedding', 'probabilities', 'label').";
  }
}
