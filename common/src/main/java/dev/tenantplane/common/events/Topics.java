package dev.tenantplane.common.events;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Topic names of the bus; {@link EventType} says which topic carries each event. */
public final class Topics {
  static final String PREFIX = "tenantplane.";

  /**
   * Every event of every customer, keyed by customer id: one ordered stream per customer, which
   * each consumer group reads whole and from which each step takes the types it handles.
   */
  public static final String LIFECYCLE = PREFIX + "customer.lifecycle";

  /** Requests to migrate the whole fleet. */
  public static final String FLEET_MIGRATION_REQUESTED = PREFIX + "fleet.migration-requested";

  /** Reports of a fleet migration's end. */
  public static final String FLEET_MIGRATION_COMPLETED = PREFIX + "fleet.migration-completed";

  /** Events whose last attempt failed, and messages no consumer could read. */
  public static final String DEAD_LETTER = PREFIX + "dead-letter";

  private Topics() {}

  /** Every topic the platform creates, in a stable order (see deploy/topics.txt). */
  public static List<String> all() {
    Set<String> topics = new LinkedHashSet<>();
    for (EventType type : EventType.values()) {
      topics.add(type.topic());
    }
    topics.add(DEAD_LETTER);
    return List.copyOf(topics);
  }
}
