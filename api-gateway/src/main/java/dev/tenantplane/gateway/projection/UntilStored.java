package dev.tenantplane.gateway.projection;

import dev.tenantplane.common.retry.RetryPolicy;
import dev.tenantplane.kit.DatabaseErrors;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * How the gateway's consumers store what they read: while the control-plane database is unreachable
 * the store is tried again, after 0.5 s doubling up to 30 s, so the record waits rather than being
 * lost (it is acknowledged only once stored); any other failure is thrown.
 */
final class UntilStored {
  private static final RetryPolicy WAITS =
      RetryPolicy.unlimited(Duration.ofMillis(500), 2, Duration.ofSeconds(30));

  private UntilStored() {}

  /**
   * @param beforeRetry told of each failure that will be retried, and the wait before the retry
   */
  static <T> T run(Supplier<T> store, BiConsumer<RuntimeException, Duration> beforeRetry) {
    for (int attempt = 1; ; attempt++) {
      try {
        return store.get();
      } catch (RuntimeException e) {
        if (!DatabaseErrors.unavailable(e)) {
          throw e;
        }
        beforeRetry.accept(e, WAITS.delayAfter(attempt));
        try {
          WAITS.pauseAfter(attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting to store a record", e);
        }
      }
    }
  }
}
