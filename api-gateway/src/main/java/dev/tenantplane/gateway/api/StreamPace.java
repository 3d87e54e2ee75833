package dev.tenantplane.gateway.api;

import java.time.Duration;
import java.time.Instant;

/**
 * When a live stream reads the timeline table: on its first turn; on every turn while no signals
 * arrive; for {@code settle} after it saw its mark move (the fleet stream waits for rows to be a
 * second old, so it keeps reading until the signalled row is); and at least every {@code fallback},
 * in case a signal was lost. One stream's pace; not shared between threads at once.
 */
final class StreamPace {
  private final Duration settle;
  private final Duration fallback;
  private long seenMark;
  private Instant markMoved;
  private Instant lastRead;

  StreamPace(Duration settle, Duration fallback) {
    this.settle = settle;
    this.fallback = fallback;
  }

  /** Whether to read now, given the stream's current mark; a yes counts as the read. */
  boolean readNow(long mark, boolean listening, Instant now) {
    boolean read;
    if (lastRead == null || mark != seenMark) {
      read = true;
      markMoved = now;
    } else {
      read =
          !listening
              || !now.isAfter(markMoved.plus(settle))
              || !now.isBefore(lastRead.plus(fallback));
    }
    seenMark = mark;
    if (read) {
      lastRead = now;
    }
    return read;
  }
}
