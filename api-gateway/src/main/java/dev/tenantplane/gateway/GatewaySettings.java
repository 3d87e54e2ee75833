package dev.tenantplane.gateway;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Settings of the gateway ({@code tenantplane.gateway.*}); the module README documents each. */
@ConfigMapping(prefix = "tenantplane.gateway")
public interface GatewaySettings {

  /** Where the first start writes the admin token, readable by its owner only. */
  @WithDefault(".tenantplane/admin-token")
  Path adminTokenFile();

  /** Write requests (POST, DELETE) one token may make per minute. */
  @WithDefault("60")
  int writesPerMinute();

  /** How long an Idempotency-Key and its first response are remembered. */
  @WithDefault("24h")
  Duration idempotencyTtl();

  /**
   * How long an Idempotency-Key stays reserved by a request that has not answered yet; a request
   * that dies mid-way blocks its key no longer than this.
   */
  @WithDefault("1m")
  Duration idempotencyPendingTtl();

  /** Largest accepted request body. */
  @WithDefault("16384")
  int maxBodyBytes();

  /**
   * How often the fleet's gauges (customers per status, dead letters, provisioning times) are read
   * from the projection (read by {@code FleetGauges}' schedule).
   */
  @WithDefault("15s")
  Duration fleetGaugeInterval();

  /**
   * How often a live event stream checks whether its timeline changed (it reads the table only
   * then, told by the timeline's notifications).
   */
  @WithDefault("250ms")
  Duration ssePollInterval();

  /**
   * The longest a live event stream goes without reading the table, in case a notification was
   * lost; while no notifications arrive at all it reads every {@code sse-poll-interval}.
   */
  @WithDefault("5s")
  Duration sseFallbackInterval();

  /** Reported as {@code environment} by {@code GET /api/health}. */
  @WithDefault("production")
  String environment();

  /**
   * Step inputs (copies of events with sealed credentials, kept for retries) older than this are
   * deleted, except a FAILED customer's (read by {@code StepInputRetention}).
   */
  @WithDefault("14d")
  Duration stepInputRetention();

  /** Customers migrated at once by a fleet migration that does not say. */
  @WithDefault("2")
  int fleetDefaultConcurrency();

  /** Lifetimes of the tokens made through the API ({@code tenantplane.gateway.tokens.*}). */
  Tokens tokens();

  interface Tokens {
    /** How long a token lives when its request does not say; whole days. */
    @WithDefault("90d")
    Duration defaultLifetime();

    /** The longest lifetime a request may ask for; whole days. */
    @WithDefault("365d")
    Duration maxLifetime();
  }

  /** Backups on a schedule and how many are kept ({@code tenantplane.gateway.backups.*}). */
  Backups backups();

  interface Backups {
    /** How often the schedule looks for customers whose backup is due. */
    @WithDefault("1m")
    Duration scheduleInterval();

    /** Most scheduled backups one look requests; the others are due at the next look. */
    @WithDefault("10")
    int scheduleBatch();

    /**
     * Per plan (its wire name): how often a READY customer is backed up and how many backups are
     * kept. A plan not listed is backed up only on demand and keeps every backup.
     */
    Map<String, PlanPolicy> plan();
  }

  /** One plan's backups. */
  interface PlanPolicy {
    /** A backup is due this long after the customer's last one (or its creation). */
    Duration every();

    /** Completed backups kept; an older one is pruned once a newer one is verified. */
    int keep();
  }
}
