package dev.tenantplane.gateway.api;

import dev.tenantplane.gateway.customers.FleetTimeline.FleetEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The fleet's most recent settled events, as one gateway instance last read them: every event after
 * {@link #floor()} up to {@link #through()}, at most {@code capacity} of them (the oldest go first,
 * and the floor moves up with them). A stream whose position is at or past the floor is served from
 * here; one further behind reads the table itself.
 */
final class FleetEventWindow {
  private final int capacity;
  private final List<FleetEvent> events = new ArrayList<>();
  private long floor;
  private long through;

  /** An empty window at {@code start}: it holds everything after it once events are appended. */
  FleetEventWindow(int capacity, long start) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a window holds at least one event");
    }
    this.capacity = capacity;
    this.floor = start;
    this.through = start;
  }

  /** Events read after {@link #through()}, in order; the oldest beyond capacity are dropped. */
  synchronized void append(List<FleetEvent> read) {
    for (FleetEvent event : read) {
      if (event.seq() <= through) {
        throw new IllegalArgumentException(
            "event " + event.seq() + " is not after the window's end " + through);
      }
      events.add(event);
      through = event.seq();
    }
    int excess = events.size() - capacity;
    if (excess > 0) {
      floor = events.get(excess - 1).seq();
      events.subList(0, excess).clear();
    }
  }

  /** Whether every event after {@code seq} that this instance has read is here. */
  synchronized boolean covers(long seq) {
    return seq >= floor;
  }

  /** Up to {@code limit} events after {@code seq}, in order; only meaningful when it is covered. */
  synchronized List<FleetEvent> after(long seq, int limit) {
    int from = firstAfter(seq);
    return new ArrayList<>(events.subList(from, Math.min(events.size(), from + limit)));
  }

  /** The index of the first event after {@code seq} (events are in seq order). */
  private int firstAfter(long seq) {
    int low = 0;
    int high = events.size();
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (events.get(middle).seq() <= seq) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  synchronized long floor() {
    return floor;
  }

  synchronized long through() {
    return through;
  }
}
