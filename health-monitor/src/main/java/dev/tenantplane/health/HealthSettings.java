package dev.tenantplane.health;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How customers are watched and healed. */
@ConfigMapping(prefix = "tenantplane.health")
public interface HealthSettings {
  /** Time between two probe rounds (read by the schedule). */
  @WithDefault("5s")
  String interval();

  /** Longest wait for one probe (HTTP, PostgreSQL, Redis). */
  @WithDefault("2s")
  Duration probeTimeout();

  /** Where the tenants' published ports are reached. */
  @WithDefault("127.0.0.1")
  String tenantHost();

  /** The platform's nginx, probed on each customer's path route. */
  @WithDefault("http://127.0.0.1:8080")
  String nginxUrl();

  /** Consecutive failed rounds of one component before its container is restarted. */
  @WithDefault("3")
  int failuresBeforeRestart();

  /**
   * Consecutive rounds in which one component's probe ran out of time before its container is
   * restarted: slow under load is not down, so this waits longer than {@link
   * #failuresBeforeRestart()}.
   */
  @WithDefault("12")
  int timeoutsBeforeRestart();

  /** Most restarts of one customer within {@link #restartWindow()}; then it is left alone. */
  @WithDefault("3")
  int maxRestarts();

  @WithDefault("10m")
  Duration restartWindow();

  /** Wait after the first restart before another; doubles with each restart in the window. */
  @WithDefault("20s")
  Duration restartBackoff();

  /** How long the current health kept in Redis stays valid without a new round. */
  @WithDefault("60s")
  Duration currentHealthTtl();

  /** How long an instance owns the customers it claimed; renewed every round. */
  @WithDefault("30s")
  Duration lease();

  /** Wait after the first probe of a newly routed customer that is not ready yet; doubles. */
  @WithDefault("25ms")
  Duration firstReadinessDelay();

  /** Longest wait between two probes of a newly routed customer. */
  @WithDefault("1s")
  Duration firstReadinessMaxDelay();

  /** How long a newly routed customer is probed apart from the rounds. */
  @WithDefault("2m")
  Duration firstReadinessWindow();

  /** Customers probed at the same time by one instance. */
  @WithDefault("8")
  int parallelism();
}
