package weka.clusterers.deepclustering;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.deepclustering.algorithms.AbstractDeepClusterer;
import org.deepclustering.algorithms.Algorithms;
import org.deepclustering.algorithms.CommonConfig;

/**
 * The core library's default configuration of a method as a Jackson tree, so the Weka wrappers take their option
 * defaults from the core {@code Config.defaults(k)} instead of repeating them.
 */
final class MethodDefaults {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, JsonNode> CACHE = new ConcurrentHashMap<>();

  private MethodDefaults() {}

  /** The default config tree of the core method (fields by name; {@code common} included). */
  static JsonNode tree(String method) {
    return CACHE.computeIfAbsent(method, m -> {
      AbstractDeepClusterer algorithm = (AbstractDeepClusterer) Algorithms.create(m, CommonConfig.defaults(2), Map.of());
      return JSON.valueToTree(algorithm.config());
    });
  }

  /** The core default of {@code field} as a value of {@code type} (Integer, Double, Boolean, or String for an enum). */
  static Object value(String method, String field, Class<?> type) {
    JsonNode node = tree(method).get(field);
    if (node == null) throw new IllegalStateException("the core method '" + method + "' has no option '" + field + "'");
    if (type == Integer.class) return node.asInt();
    if (type == Double.class) return node.asDouble();
    if (type == Boolean.class) return node.asBoolean();
    if (type == String.class && node.isTextual()) return node.asText();
    throw new IllegalArgumentException("method options are Integer, Double, Boolean or enum names, not "
        + type.getSimpleName() + " (" + field + ")");
  }
}
