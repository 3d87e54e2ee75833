package dev.tenantplane.kit;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Runs work for many keys at once and the work of one key in the order it was submitted: each key
 * is a lane, and a lane starts its next piece of work only when the previous one has finished. Work
 * may finish later than it returns (a scheduled retry), without holding a thread meanwhile.
 *
 * <p>At most {@code maxInFlight} pieces of work are queued or running: past that, {@link #submit}
 * returns a stage that completes only when one has finished, which is how the consumer that feeds
 * the lanes is held back.
 */
final class KeyedLanes {
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final Executor executor;
  private final int maxInFlight;
  private final Map<String, CompletableFuture<Void>> tails = new HashMap<>();
  private int inFlight;
  private CompletableFuture<Void> waitingForRoom;

  KeyedLanes(Executor executor, int maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
    }
    this.executor = executor;
    this.maxInFlight = maxInFlight;
  }

  /**
   * Queues {@code work} on the lane of {@code key}. The returned stage completes when there is room
   * for more work, not when this work is done. A failure of {@code work} ends only that piece: the
   * lane goes on.
   */
  CompletionStage<Void> submit(String key, Supplier<? extends CompletionStage<?>> work) {
    CompletableFuture<Void> tail;
    CompletableFuture<Void> room;
    synchronized (this) {
      CompletableFuture<Void> previous = tails.getOrDefault(key, DONE);
      tail = previous.thenComposeAsync(ignored -> started(work), executor).handle((r, e) -> null);
      tails.put(key, tail);
      inFlight++;
      if (inFlight > maxInFlight) {
        waitingForRoom = new CompletableFuture<>();
        room = waitingForRoom;
      } else {
        room = DONE;
      }
    }
    CompletableFuture<Void> mine = tail;
    tail.whenComplete((r, e) -> finished(key, mine));
    return room;
  }

  /** How many pieces of work are queued or running. */
  synchronized int inFlight() {
    return inFlight;
  }

  private static CompletionStage<?> started(Supplier<? extends CompletionStage<?>> work) {
    try {
      return work.get();
    } catch (RuntimeException | Error e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void finished(String key, CompletableFuture<Void> tail) {
    CompletableFuture<Void> room = null;
    synchronized (this) {
      inFlight--;
      tails.remove(key, tail);
      if (waitingForRoom != null && inFlight <= maxInFlight) {
        room = waitingForRoom;
        waitingForRoom = null;
      }
    }
    // Completed outside the lock: it resumes the consumer, which may submit again at once.
    if (room != null) {
      room.complete(null);
    }
  }
}
