package dev.tenantplane.provisioner.stack;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code com.docker.compose.config-hash} label docker-compose {@value #COMPOSE_VERSION} would
 * give a container of the customer's {@code docker-compose.yml}. Containers the provisioner creates
 * carry it, so {@code docker-compose up -d} in the customer's folder finds them up to date instead
 * of recreating them.
 *
 * <p>Compose hashes, with SHA-256, its own view of the service: the options it parsed from the file
 * (environment resolved from {@code .env}), the image id and the network, serialised by Python's
 * {@code json.dumps(sort_keys=True, separators=(',', ':'))}. This class builds that view for the
 * keys {@link ComposeFileRenderer} writes and serialises it the way Python does (keys sorted,
 * non-ASCII as lower-case {@code \\uXXXX}), which no JSON library here does out of the box.
 * StackLifecycleIT checks it against the real docker-compose ({@code up -d} finds every container
 * up to date).
 */
public final class ComposeConfigHash {
  /** The docker-compose release whose hashing this reproduces (Debian bookworm's). */
  public static final String COMPOSE_VERSION = "1.29.2";

  private ComposeConfigHash() {}

  /**
   * @param environment the container's resolved environment
   * @param imageId the engine's id of the service's image ({@code sha256:…})
   */
  public static String of(
      StackPlan stack, ContainerPlan plan, Map<String, String> environment, String imageId) {
    Map<String, Object> options = new TreeMap<>();
    options.put("cap_drop", List.of("ALL"));
    options.put("container_name", plan.name());
    options.put("cpus", Double.parseDouble(ComposeFileRenderer.cpus(plan.limits())));
    if (!plan.dependsOn().isEmpty()) {
      Map<String, Object> dependsOn = new TreeMap<>();
      plan.dependsOn().forEach(d -> dependsOn.put(d, Map.of("condition", "service_healthy")));
      options.put("depends_on", dependsOn);
    }
    options.put("device_requests", null);
    options.put("environment", new TreeMap<>(environment));
    if (!plan.groups().isEmpty()) {
      options.put("group_add", plan.groups());
    }
    plan.healthCheck()
        .ifPresent(
            check ->
                options.put(
                    "healthcheck",
                    Map.of(
                        "interval", DockerSpec.HEALTH_INTERVAL.toNanos(),
                        "retries", (long) DockerSpec.HEALTH_RETRIES,
                        "start_period", DockerSpec.HEALTH_START_PERIOD.toNanos(),
                        "test", List.of("CMD-SHELL", check),
                        "timeout", DockerSpec.HEALTH_TIMEOUT.toNanos())));
    options.put("image", plan.image());
    options.put("labels", new TreeMap<>(plan.containerLabels()));
    options.put(
        "logging", Map.of("driver", "json-file", "options", new TreeMap<>(DockerSpec.LOG_OPTIONS)));
    options.put("mem_limit", plan.limits().memoryMiB() + "m");
    options.put("memswap_limit", plan.limits().memoryMiB() + "m");
    options.put("pids_limit", (long) plan.limits().pids());
    options.put("platform", null);
    plan.port()
        .ifPresent(
            p ->
                options.put(
                    "ports",
                    List.of(
                        Arrays.asList(
                            (long) p.containerPort(),
                            (long) p.hostPort(),
                            null,
                            null,
                            p.hostIp()))));
    options.put("restart", Map.of("MaximumRetryCount", 0L, "Name", "unless-stopped"));
    options.put("security_opt", List.of(Arrays.asList("no-new-privileges:true", null)));
    List<Object> volumes = new ArrayList<>();
    plan.volume().ifPresent(v -> volumes.add(List.of(v.volume(), v.path(), "rw")));
    plan.secrets().forEach(m -> volumes.add(List.of(m.source().toString(), m.target(), "ro")));
    options.put("volumes", volumes);

    Map<String, Object> service = new LinkedHashMap<>();
    service.put("image_id", imageId);
    service.put("ipc_mode", null);
    service.put("links", List.of());
    service.put("net", stack.network());
    service.put("networks", Map.of(stack.network(), Map.of("aliases", List.of(plan.name()))));
    service.put("options", options);
    service.put("secrets", List.of());
    service.put("volumes_from", List.of());
    return sha256(PythonJson.write(service));
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** {@code json.dumps(value, sort_keys=True, separators=(',', ':'))}, ensure_ascii included. */
  static final class PythonJson {
    private PythonJson() {}

    static String write(Object value) {
      StringBuilder out = new StringBuilder();
      append(out, value);
      return out.toString();
    }

    private static void append(StringBuilder out, Object value) {
      if (value == null) {
        out.append("null");
      } else if (value instanceof String s) {
        string(out, s);
      } else if (value instanceof Boolean b) {
        out.append(b ? "true" : "false");
      } else if (value instanceof Long || value instanceof Integer) {
        out.append(value);
      } else if (value instanceof Double d) {
        // Python's repr of a float: the shortest text that reads back, like Double.toString for
        // the limits used here (0.25, 0.5, 1.0, 2.0).
        out.append(Double.toString(d));
      } else if (value instanceof Map<?, ?> map) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : new TreeMap<>(map).entrySet()) {
          if (!first) {
            out.append(',');
          }
          first = false;
          string(out, (String) e.getKey());
          out.append(':');
          append(out, e.getValue());
        }
        out.append('}');
      } else if (value instanceof List<?> list) {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          append(out, list.get(i));
        }
        out.append(']');
      } else {
        throw new IllegalArgumentException("not a JSON value: " + value.getClass());
      }
    }

    private static void string(StringBuilder out, String s) {
      out.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          case '\b' -> out.append("\\b");
          case '\f' -> out.append("\\f");
          default -> {
            if (c >= 0x20 && c < 0x7f) {
              out.append(c);
            } else {
              out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            }
          }
        }
      }
      out.append('"');
    }
  }
}
