package dev.tenantplane.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Facts about the repository the manifests must agree with, read from where they are defined. */
final class Repo {
  private Repo() {}

  static Path root() {
    return Path.of(System.getProperty("tenantplane.root", "../../..")).toAbsolutePath().normalize();
  }

  static String version() {
    String v = System.getProperty("tenantplane.version");
    if (v == null || v.isBlank()) {
      throw new IllegalStateException("tenantplane.version is not set (surefire sets it)");
    }
    return v;
  }

  static String read(String relative) {
    try {
      return Files.readString(root().resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * service name to HTTP port of its first instance, from TP_SERVICES in deploy/lib/services.sh.
   */
  static Map<String, Integer> servicePorts() {
    Matcher list = Pattern.compile("(?m)^TP_SERVICES=\\(([^)]*)\\)").matcher(servicesSh());
    if (!list.find()) {
      throw new IllegalStateException("deploy/lib/services.sh: no TP_SERVICES=(...)");
    }
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (String entry : list.group(1).trim().split("\\s+")) {
      String[] parts = entry.split(":");
      ports.put(parts[0], Integer.parseInt(parts[1]));
    }
    return ports;
  }

  /** The image of a service as deploy/lib/services.sh names it, at the project's version. */
  static String image(String service) {
    return shDefault("TENANTPLANE_SERVICE_IMAGE_PREFIX") + service + ":" + version();
  }

  /** The container memory limit of deploy/lib/services.sh ("640m") in Kubernetes units. */
  static String memoryLimit() {
    String docker = shDefault("TENANTPLANE_SERVICE_MEMORY");
    if (!docker.matches("\\d+[mg]")) {
      throw new IllegalStateException("unexpected TENANTPLANE_SERVICE_MEMORY " + docker);
    }
    return docker.substring(0, docker.length() - 1)
        + (docker.endsWith("g") ? "Gi" : "Mi"); // Docker's m and g are binary units
  }

  /** The container CPU limit of deploy/lib/services.sh ({@code --cpus N}). */
  static String cpuLimit() {
    Matcher m = Pattern.compile("--cpus (\\S+)").matcher(servicesSh());
    if (!m.find()) {
      throw new IllegalStateException("deploy/lib/services.sh: no --cpus");
    }
    return m.group(1);
  }

  private static String shDefault(String variable) {
    Matcher m = Pattern.compile("\\$\\{" + variable + ":=([^}]*)}").matcher(servicesSh());
    if (!m.find()) {
      throw new IllegalStateException("deploy/lib/services.sh: no default for " + variable);
    }
    return m.group(1);
  }

  private static String servicesSh() {
    return read("deploy/lib/services.sh");
  }
}
