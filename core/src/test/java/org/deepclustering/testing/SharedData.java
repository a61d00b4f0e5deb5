package org.deepclustering.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deepclustering.data.Dataset;
import org.deepclustering.io.ArffReader;

/** Locates the shared evaluation data ({@code ../shared/data} beside the repository). */
public final class SharedData {
  private SharedData() {}

  public static Path dir() {
    String prop = System.getProperty("shared.data.dir");
    Path p = prop != null ? Path.of(prop) : Path.of("..", "shared", "data");
    if (!Files.isDirectory(p)) p = Path.of("..", "..", "shared", "data");
    if (!Files.isDirectory(p)) throw new IllegalStateException("shared data directory not found (looked at " + prop + " and ../shared/data)");
    return p;
  }

  public static Path file(String name) { return dir().resolve(name); }

  public static Dataset load(String name) {
    try {
      return ArffReader.read(file(name));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
