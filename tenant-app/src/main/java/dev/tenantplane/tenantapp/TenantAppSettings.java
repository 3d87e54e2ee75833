package dev.tenantplane.tenantapp;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Who this app serves and how it behaves ({@code tenantplane.tenant-app.*}); in a container every
 * value comes from the environment the provisioner sets (see the module README).
 */
@ConfigMapping(prefix = "tenantplane.tenant-app")
public interface TenantAppSettings {
  /** The customer id ({@code CUSTOMER_ID}). */
  String customerId();

  /** The customer's display name ({@code CUSTOMER_NAME}). */
  String customerName();

  /** The deployment environment reported by {@code /api/health} ({@code NODE_ENV}). */
  String environment();

  /** {@code app} serves the API; {@code worker} also runs the job queue ({@code TENANT_ROLE}). */
  Role role();

  /** Key of the HS256 tokens the API accepts ({@code JWT_SECRET}); none: every call is 401. */
  Optional<String> jwtSecret();

  /** How long a health probe waits for the database or Redis. */
  @WithDefault("2s")
  Duration healthTimeout();

  Jobs jobs();

  /** The worker's queue. */
  interface Jobs {
    /**
     * Attempts and back-off of each job kind, by kind ({@code jobs.kind."deal-summary".*}); every
     * kind the worker runs has an entry (application.properties sets them).
     */
    Map<String, KindPolicy> kind();

    /**
     * How long a taken job stays the worker's without a sign of life: its heartbeat renews the
     * lease of the job in hand, and a job whose lease ran out (its worker frozen or gone) is queued
     * again.
     */
    @WithDefault("30s")
    Duration visibilityTimeout();

    /** How often the worker writes its heartbeat (and renews the lease of the job in hand). */
    @WithDefault("5s")
    Duration heartbeatInterval();

    /** How long a heartbeat counts: without a newer one, the worker is reported missing. */
    @WithDefault("15s")
    Duration heartbeatTtl();

    /** How long the worker waits on an empty queue before looking again (and at shutdown). */
    @WithDefault("2s")
    Duration pollTimeout();

    /** Prefix of the Redis keys of the queue. */
    @WithDefault("tenant-app:jobs")
    String keyPrefix();

    /** How long a submission waits for Redis to note, and then to queue, a new job. */
    @WithDefault("5s")
    Duration submitTimeout();

    /** How long the worker, when stopped, lets the job in hand finish before returning it. */
    @WithDefault("15s")
    Duration shutdownGrace();

    /** How often the worker settles submissions that stopped between commit and queueing. */
    @WithDefault("30s")
    Duration sweepInterval();

    /**
     * How old a submission's note must be before the sweep settles it: longer than any submission
     * takes, so one still in flight is left alone.
     */
    @WithDefault("60s")
    Duration unconfirmedGrace();
  }

  /** How a job kind is retried. */
  interface KindPolicy {
    /** Attempts before a failing job is parked in the failed set. */
    int maxAttempts();

    /** Wait before the second attempt; it doubles for each further one. */
    Duration backoff();
  }

  enum Role {
    APP,
    WORKER
  }
}
