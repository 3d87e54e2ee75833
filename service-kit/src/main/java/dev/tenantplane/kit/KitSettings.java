package dev.tenantplane.kit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the outbox relay and the step runner, shared by every service. */
@ConfigMapping(prefix = "tenantplane.kit")
public interface KitSettings {
  /**
   * How often the relay looks for unsent outbox rows that no writer published right after its
   * commit (read by its schedule; at least 1s).
   */
  @WithDefault("1s")
  String outboxInterval();

  /** How many outbox rows the relay publishes per round. */
  @WithDefault("100")
  int outboxBatch();

  /** How often {@link OutboxBacklog} reads the outbox's backlog for the metrics page. */
  @WithDefault("5s")
  Duration outboxBacklogInterval();

  /**
   * The service reports itself not ready ({@link OutboxReadiness}) while its oldest unpublished
   * outbox row is older than this: it accepts work whose events do not reach the broker.
   */
  @WithDefault("5m")
  Duration outboxReadyMaxAge();

  /** After this long a claimed but unsent batch is taken over (its relay died mid-send). */
  @WithDefault("30s")
  Duration outboxClaimTimeout();

  /** Attempts of a step before the customer is FAILED at it. */
  @WithDefault("4")
  int stepAttempts();

  /** Wait before the second attempt; doubles each attempt up to {@link #stepMaxBackoff()}. */
  @WithDefault("1s")
  Duration stepBackoff();

  /** Longest wait between two attempts. */
  @WithDefault("30s")
  Duration stepMaxBackoff();

  /** How much longer each wait between attempts is than the one before. */
  @WithDefault("2")
  double stepBackoffFactor();

  /**
   * Records of one consumer handled at the same time by one instance (different customers; one
   * customer's records always one after another, in order).
   */
  @WithDefault("8")
  int stepConcurrency();

  /** How often {@link RowRetention} deletes spent outbox and inbox rows (read by its schedule). */
  @WithDefault("1h")
  String retentionInterval();

  /**
   * Published outbox rows older than this are deleted. Their payloads are the service's copies of
   * events already on the bus (sealed credentials among them), so they are kept no longer than a
   * look back needs.
   */
  @WithDefault("7d")
  Duration outboxRetention();

  /**
   * Inbox rows older than this are deleted. Longer than the broker keeps records (Kafka's default
   * is 7 days), so no record that can still be redelivered has lost the row that makes it a
   * duplicate.
   */
  @WithDefault("14d")
  Duration inboxRetention();
}
