package dev.tenantplane.common.events;

import java.util.ArrayList;
import java.util.List;

/** Topic names of the bus. Event topics come from {@link EventType}; these are the others. */
public final class Topics {
  static final String PREFIX = "tenantplane.";

  /** Events whose last attempt failed, and messages no consumer could read. */
  public static final String DEAD_LETTER = PREFIX + "dead-letter";

  private Topics() {}

  /** Every topic the platform creates, in a stable order (see deploy/topics.txt). */
  public static List<String> all() {
    List<String> topics = new ArrayList<>();
    for (EventType type : EventType.values()) {
      topics.add(type.topic());
    }
    topics.add(DEAD_LETTER);
    return List.copyOf(topics);
  }
}
