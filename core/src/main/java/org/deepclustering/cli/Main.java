package org.deepclustering.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code java -jar deep-clustering.jar}. */
@Command(
    name = "deep-clustering",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Deep clustering (AE+KMeans, DCN, DEC, IDEC, DEKM, DeepCluster) on the JVM.",
    subcommands = {ClusterCommand.class, BenchmarkCommand.class, CommandLine.HelpCommand.class})
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // The tool's own log level (slf4j-simple): warnings only, unless the user set it; ND4J's start-up banner is INFO.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    System.exit(run(args));
  }

  /** Runs the tool and returns its exit code (0 ok, 1 failed, 2 bad usage). */
  public static int run(String... args) {
    CommandLine cmd = new CommandLine(new Main());
    cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof IllegalArgumentException || ex instanceof java.io.IOException) {
        commandLine.getErr().println("error: " + ex.getMessage());
        return 2;
      }
      if (ex instanceof java.io.UncheckedIOException) {
        commandLine.getErr().println("error: " + ex.getMessage());
        return 1;
      }
      commandLine.getErr().println("error: " + ex);
      return 1;
    });
    return cmd.execute(args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"deep-clustering " + org.deepclustering.model.LibraryVersion.get()};
    }
  }
}
