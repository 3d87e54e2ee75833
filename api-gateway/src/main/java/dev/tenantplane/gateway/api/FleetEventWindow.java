package dev.tenantplane.gateway.api;

import dev.tenantplane.gateway.customers.FleetTimeline.FleetEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * The fleet's most recent settled events, as one gateway instance last read them: every event after
 * {@link #floor()} up to {@link #through()}, at most {@code capacity} of them (the oldest go first,
 * and the floor moves up with them). A stream whose position is at or past the floor is served from
 * here; one further behind reads the table itself.
 */
final class FleetEventWindow {
  private final int capacity;
  private final Deque<FleetEvent> events = new ArrayDeque<>();
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
      events.addLast(event);
      through = event.seq();
    }
    while (events.size() > capacity) {
      floor = events.removeFirst().seq();
    }
  }

  /** Whether every event after {@code seq} that this instance has read is here. */
  synchronized boolean covers(long seq) {
    return seq >= floor;
  }

  /** Up to {@code limit} events after {@code seq}, in order; only meaningful when it is covered. */
  synchronized List<FleetEvent> after(long seq, int limit) {
    List<FleetEvent> found = new ArrayList<>(Math.min(limit, events.size()));
    if (seq >= through) {
      return found;
    }
    // Streams are nearly always near the end: walk back from there to the first event after seq.
    Iterator<FleetEvent> newestFirst = events.descendingIterator();
    int newer = 0;
    while (newestFirst.hasNext() && newestFirst.next().seq() > seq) {
      newer++;
    }
    int skip = events.size() - newer;
    Iterator<FleetEvent> oldestFirst = events.iterator();
    for (int i = 0; i < skip; i++) {
      oldestFirst.next();
    }
    while (oldestFirst.hasNext() && found.size() < limit) {
      found.add(oldestFirst.next());
    }
    return found;
  }

  synchronized long floor() {
    return floor;
  }

  synchronized long through() {
    return through;
  }
}
