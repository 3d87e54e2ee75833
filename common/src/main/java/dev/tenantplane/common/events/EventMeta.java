package dev.tenantplane.common.events;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The envelope fields every lifecycle event carries.
 *
 * <p>{@code correlationId} is shared by every event of one run (one provisioning, one
 * deprovisioning); {@code causationId} is the id of the event that caused this one, or null for the
 * first event of a run.
 */
public record EventMeta(
    UUID eventId,
    String customerId,
    UUID correlationId,
    UUID causationId,
    Instant time,
    int schemaVersion) {

  /** Schema version of every contract in this release; bumped together with the wire types. */
  public static final int SCHEMA_VERSION = 1;

  public EventMeta {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(correlationId, "correlationId");
    Objects.requireNonNull(time, "time");
  }

  /** The first event of a new run for a customer. */
  public static EventMeta start(String customerId, Clock clock) {
    return new EventMeta(
        UUID.randomUUID(), customerId, UUID.randomUUID(), null, clock.instant(), SCHEMA_VERSION);
  }

  /** An event caused by this one: same customer and run, this event as its cause. */
  public EventMeta next(Clock clock) {
    return new EventMeta(
        UUID.randomUUID(), customerId, correlationId, eventId, clock.instant(), SCHEMA_VERSION);
  }
}
