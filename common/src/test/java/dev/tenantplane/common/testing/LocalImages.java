package dev.tenantplane.common.testing;

import org.testcontainers.utility.DockerImageName;

/**
 * Images the tests run, built locally by {@code deploy/images/build.sh}. Each name is a system
 * property (set by the build from {@code tenantplane.image.*} in the parent POM), so a machine with
 * a registry can point the tests at official images.
 */
public final class LocalImages {
  private LocalImages() {}

  public static DockerImageName postgres() {
    return image("tenantplane.image.postgres", "tenantplane/postgres:15", "postgres");
  }

  public static DockerImageName redis() {
    return image("tenantplane.image.redis", "tenantplane/redis:7", "redis");
  }

  public static DockerImageName kafka() {
    return image("tenantplane.image.kafka", "tenantplane/kafka:4", "apache/kafka");
  }

  public static DockerImageName nginx() {
    return image("tenantplane.image.nginx", "tenantplane/nginx:1.22", "nginx");
  }

  /** The reference workload, built by the tenant-app module when it is packaged. */
  public static String tenantApp() {
    return System.getProperty(
        "tenantplane.image.tenant-app", "tenantplane/tenant-app:0.1.0-SNAPSHOT");
  }

  private static DockerImageName image(String property, String fallback, String official) {
    return DockerImageName.parse(System.getProperty(property, fallback))
        .asCompatibleSubstituteFor(official);
  }
}
