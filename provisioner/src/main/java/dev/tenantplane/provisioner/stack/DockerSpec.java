package dev.tenantplane.provisioner.stack;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Settings every container of a stack shares, in Docker and in the compose file alike. */
public final class DockerSpec {
  public static final Duration HEALTH_INTERVAL = Duration.ofSeconds(10);
  public static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration HEALTH_START_PERIOD = Duration.ofSeconds(30);
  public static final int HEALTH_RETRIES = 3;

  /** Bounded logs, so a chatty tenant cannot fill the host's disk. */
  public static final Map<String, String> LOG_OPTIONS =
      Collections.unmodifiableMap(new TreeMap<>(Map.of("max-size", "10m", "max-file", "3")));

  /** Label holding {@link ContainerPlan#specHash()} of the plan a container was created from. */
  public static final String SPEC_HASH_LABEL = "tenantplane.spec-hash";

  private DockerSpec() {}
}
