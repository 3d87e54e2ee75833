package dev.tenantplane.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A container's environment entries. */
final class Env {
  private Env() {}

  static List<EnvVar> of(Container c) {
    return Objects.requireNonNullElse(c.getEnv(), List.of());
  }

  /** The entries with a literal value. */
  static Map<String, String> literals(Container c) {
    Map<String, String> values = new LinkedHashMap<>();
    for (EnvVar e : of(c)) {
      if (e.getValue() != null) {
        values.put(e.getName(), e.getValue());
      }
    }
    return values;
  }
}
