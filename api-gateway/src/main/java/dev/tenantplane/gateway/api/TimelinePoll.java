package dev.tenantplane.gateway.api;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.function.Supplier;

/** The pace of the live streams, which follow the timeline table by polling it. */
final class TimelinePoll {
  private TimelinePoll() {}

  /**
   * {@code read} at once for a stream's first poll, so a client sees what there is without waiting;
   * after {@code interval} for every later one, even when the last found nothing.
   */
  static <T> Uni<T> next(boolean first, Duration interval, Supplier<Uni<T>> read) {
    return first
        ? read.get()
        : Uni.createFrom().voidItem().onItem().delayIt().by(interval).chain(ignored -> read.get());
  }
}
