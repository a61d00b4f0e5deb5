package org.deepclustering.algorithms;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The methods by name, with their paper defaults: what the command-line tool and the benchmark use to build a method
 * from text. Method-specific options are set by their field names, e.g. {@code gamma=0.1} for IDEC.
 */
public final class Algorithms {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Entry<C extends AlgorithmConfig>(
      Class<C> configType, Function<CommonConfig, C> defaults, Function<C, ClusteringAlgorithm> factory) {
    ClusteringAlgorithm create(CommonConfig common, Map<String, String> options) {
      C config = defaults.apply(common);
      if (!options.isEmpty()) {
        ObjectNode node = JSON.valueToTree(config);
        for (Map.Entry<String, String> o : options.entrySet()) {
          if (o.getKey().equals("common") || !node.has(o.getKey())) {
            List<String> valid = new ArrayList<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
              String f = it.next();
              if (!f.equals("common")) valid.add(f);
            }
            throw new IllegalArgumentException("unknown option '" + o.getKey() + "'; options of this method: " + valid);
          }
          node.put(o.getKey(), o.getValue());
        }
        try {
          config = JSON.treeToValue(node, configType);
        } catch (Exception e) {
          throw new IllegalArgumentException("invalid option value: " + e.getMessage(), e);
        }
      }
      return factory.apply(config);
    }
  }

  private static final Map<String, Entry<?>> REGISTRY = new LinkedHashMap<>();

  static {
    register("ae-kmeans", AutoencoderKMeans.Config.class, c -> AutoencoderKMeans.Config.defaults(c.numClusters()).withCommon(c),
        AutoencoderKMeans::new);
    register("ae-gmm", AutoencoderGMM.Config.class, c -> AutoencoderGMM.Config.defaults(c.numClusters()).withCommon(c),
        AutoencoderGMM::new);
    register("dcn", DCN.Config.class, c -> DCN.Config.defaults(c.numClusters()).withCommon(c), DCN::new);
    register("dec", DEC.Config.class, c -> DEC.Config.defaults(c.numClusters()).withCommon(c), DEC::new);
    register("idec", IDEC.Config.class, c -> IDEC.Config.defaults(c.numClusters()).withCommon(c), IDEC::new);
    register("dekm", DEKM.Config.class, c -> DEKM.Config.defaults(c.numClusters()).withCommon(c), DEKM::new);
    register("dc-kmeans", DeepClusterKMeans.Config.class, c -> DeepClusterKMeans.Config.defaults(c.numClusters()).withCommon(c), DeepClusterKMeans::new);
    register("dc-gmm", DeepClusterGMM.Config.class, c -> DeepClusterGMM.Config.defaults(c.numClusters()).withCommon(c), DeepClusterGMM::new);
  }

  private Algorithms() {}

  private static <C extends AlgorithmConfig> void register(String name, Class<C> type, Function<CommonConfig, C> defaults,
      Function<C, ClusteringAlgorithm> factory) {
    REGISTRY.put(name, new Entry<>(type, defaults, factory));
  }

  /** Method names accepted by {@link #create}. */
  public static List<String> names() { return List.copyOf(REGISTRY.keySet()); }

  /**
   * Builds a method with its paper defaults, the given shared options and method-specific overrides.
   *
   * @throws IllegalArgumentException for an unknown method or option, naming the valid ones
   */
  public static ClusteringAlgorithm create(String name, CommonConfig common, Map<String, String> options) {
    Entry<?> entry = REGISTRY.get(name.toLowerCase());
    if (entry == null) throw new IllegalArgumentException("unknown method '" + name + "'; choose one of " + names());
    return entry.create(common, options);
  }
}
