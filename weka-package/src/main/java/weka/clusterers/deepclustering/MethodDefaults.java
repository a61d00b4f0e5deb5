package weka.clusterers.deepclustering;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.deepclustering.algorithms.Algorithms;
import org.deepclustering.algorithms.ClusteringAlgorithm;
import org.deepclustering.algorithms.CommonConfig;

/**
 * The core library's default configuration of a method as a Jackson tree, so the Weka wrappers take their option
 * defaults from the core {@code Config.defaults(k)} instead of repeating them.
 */
final class MethodDefaults {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, Optional<JsonNode>> CACHE = new ConcurrentHashMap<>();

  private MethodDefaults() {}

  /** Whether the core library on the class path implements the method. */
  static boolean isAvailable(String method) {
    return Algorithms.names().contains(method);
  }

  /** The default config tree of the method (without {@code common}), or empty when the core does not know it. */
  static Optional<JsonNode> tree(String method) {
    return CACHE.computeIfAbsent(method, m -> {
      if (!isAvailable(m)) return Optional.empty();
      ClusteringAlgorithm algorithm = Algorithms.create(m, CommonConfig.defaults(2), Map.of());
      if (!(algorithm instanceof org.deepclustering.algorithms.AbstractDeepClusterer deep)) return Optional.empty();
      return Optional.of(JSON.valueToTree(deep.config()));
    });
  }

  /**
   * The core default of {@code field}, converted to the type of {@code fallback}; {@code fallback} where the core does
   * not (yet) define the method or the field.
   */
  static Object value(String method, String field, Object fallback) {
    Optional<JsonNode> tree = tree(method);
    if (tree.isEmpty() || !tree.get().has(field)) return fallback;
    JsonNode node = tree.get().get(field);
    if (fallback instanceof Integer) return node.asInt();
    if (fallback instanceof Double) return node.asDouble();
    if (fallback instanceof Boolean) return node.asBoolean();
    return node.asText();
  }
}
