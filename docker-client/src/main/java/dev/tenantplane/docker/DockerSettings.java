package dev.tenantplane.docker;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How a service reaches the Docker engine; each setting is documented in the module README. */
@ConfigMapping(prefix = "tenantplane.docker")
public interface DockerSettings {

  /** Engine endpoint; {@code DOCKER_HOST} when set, else the local socket. */
  @WithDefault("${DOCKER_HOST:unix:///var/run/docker.sock}")
  String host();

  /** Requests to the engine open at once. */
  @WithDefault("32")
  int maxConnections();

  /** How long a connection to the engine may take to open. */
  @WithDefault("10s")
  Duration connectTimeout();

  /** How long one engine request may take (an image pull or a stop with its grace is longer). */
  @WithDefault("2m")
  Duration responseTimeout();
}
