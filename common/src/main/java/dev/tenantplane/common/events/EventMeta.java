package dev.tenantplane.common.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
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
 *
 * <p>{@code generation} tells the lives of one customer id apart: 1 for its first, one more each
 * time the id is provisioned again (after a purge, or when an archived customer is brought back).
 * Every event caused by another keeps its generation, so a step that meets an event of an earlier
 * generation than the customer's withdrawal knows it is late and belongs to a life that ended.
 */
public record EventMeta(
    UUID eventId,
    String customerId,
    UUID correlationId,
    UUID causationId,
    Instant time,
    int schemaVersion,
    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = FirstGeneration.class)
        int generation) {

  /** Schema version of every contract in this release; bumped together with the wire types. */
  public static final int SCHEMA_VERSION = 1;

  /** The generation of a customer id's first life. */
  public static final int FIRST_GENERATION = 1;

  public EventMeta {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(correlationId, "correlationId");
    Objects.requireNonNull(time, "time");
    if (generation < FIRST_GENERATION) {
      throw new IllegalArgumentException("generation must be at least 1: " + generation);
    }
  }

  /** Reads an envelope; one written before generations existed is of the first generation. */
  @JsonCreator
  static EventMeta read(
      @JsonProperty("eventId") UUID eventId,
      @JsonProperty("customerId") String customerId,
      @JsonProperty("correlationId") UUID correlationId,
      @JsonProperty("causationId") UUID causationId,
      @JsonProperty("time") Instant time,
      @JsonProperty("schemaVersion") int schemaVersion,
      @JsonProperty("generation") Integer generation) {
    return new EventMeta(
        eventId,
        customerId,
        correlationId,
        causationId,
        time,
        schemaVersion,
        generation == null ? FIRST_GENERATION : generation);
  }

  /** The first event of a new run for a customer in its first generation. */
  public static EventMeta start(String customerId, Clock clock) {
    return start(customerId, FIRST_GENERATION, clock);
  }

  /** The first event of a new run for a customer in {@code generation}. */
  public static EventMeta start(String customerId, int generation, Clock clock) {
    return new EventMeta(
        UUID.randomUUID(),
        customerId,
        UUID.randomUUID(),
        null,
        clock.instant(),
        SCHEMA_VERSION,
        generation);
  }

  /**
   * An event of a run that already exists ({@code correlationId}), caused by {@code causationId},
   * e.g. one a watch emits long after the event that began it.
   */
  public static EventMeta within(
      String customerId, int generation, UUID correlationId, UUID causationId, Instant time) {
    return new EventMeta(
        UUID.randomUUID(),
        customerId,
        correlationId,
        causationId,
        time,
        SCHEMA_VERSION,
        generation);
  }

  /** An event caused by this one: same customer, run and generation, this event as its cause. */
  public EventMeta next(Clock clock) {
    return within(customerId, generation, correlationId, eventId, clock.instant());
  }

  /** This event again as a new one (new id and time) in the same run, caused by {@code cause}. */
  public EventMeta again(UUID cause, Clock clock) {
    return within(customerId, generation, correlationId, cause, clock.instant());
  }

  /**
   * Leaves the first generation out of the JSON, so an event of a customer's first life is written
   * exactly as before generations existed (see the wire format rules in the module README).
   */
  static final class FirstGeneration {
    @Override
    public boolean equals(Object value) {
      return value instanceof Integer generation && generation == FIRST_GENERATION;
    }

    @Override
    public int hashCode() {
      return FIRST_GENERATION;
    }
  }
}
