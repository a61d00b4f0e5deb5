package org.deepclustering.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Run in a child JVM by {@link OnnxModelValidityTest}: loads a model with ONNX Runtime logging at WARNING level
 * (native logs go to the process's stderr, which the test captures), runs it once at batch 3 and prints "OK".
 */
public final class LoadCheck {
  public static void main(String[] args) throws Exception {
    byte[] model = Files.readAllBytes(Path.of(args[0]));
    int d = Integer.parseInt(args[1]);
    OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "load-check");
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING);
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      try (OrtSession s = env.createSession(model, so);
           OnnxTensor in = OnnxTensor.createTensor(env, new float[3][d]);
           OrtSession.Result r = s.run(Map.of("input", in))) {
        System.out.println("OK " + r.size() + " outputs");
      }
    }
  }
}
