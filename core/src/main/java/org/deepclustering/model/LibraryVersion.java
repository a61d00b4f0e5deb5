package org.deepclustering.model;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The library version, from the build (Maven filters {@code deep-clustering-version.properties}). */
public final class LibraryVersion {
  private static final String VERSION = load();

  private LibraryVersion() {}

  public static String get() { return VERSION; }

  private static String load() {
    try (InputStream in = LibraryVersion.class.getResourceAsStream("/deep-clustering-version.properties")) {
      if (in == null) return "unknown";
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
