package dev.tenantplane.common.retry;

import java.time.Duration;

/**
 * The one back-off of the platform: how often something is tried and how long it waits between
 * tries. The first retry comes after {@code firstDelay}, each later one {@code factor} times
 * longer, never longer than {@code cap}. Steps, stores that wait out a database outage and polls
 * that wait for a container all take their waits from one of these.
 *
 * @param attempts attempts in all, the first included (at least 1)
 */
public record RetryPolicy(int attempts, Duration firstDelay, double factor, Duration cap) {

  public RetryPolicy {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
    }
    if (firstDelay.isNegative() || cap.isNegative()) {
      throw new IllegalArgumentException("delays must not be negative");
    }
    if (factor < 1.0 || Double.isNaN(factor) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("factor must be a finite number >= 1, was " + factor);
    }
  }

  /** Tries without a count limit (the caller stops on a deadline or at shutdown). */
  public static RetryPolicy unlimited(Duration firstDelay, double factor, Duration cap) {
    return new RetryPolicy(Integer.MAX_VALUE, firstDelay, factor, cap);
  }

  /** Tries without a count limit, the same wait each time: a poll. */
  public static RetryPolicy every(Duration delay) {
    return unlimited(delay, 1.0, delay);
  }

  /** Whether {@code attempt} (1 for the first) is the last one allowed. */
  public boolean isLast(int attempt) {
    return attempt >= attempts;
  }

  /** The wait after failed attempt number {@code attempt} (1 for the first) before the next. */
  public Duration delayAfter(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempts count from 1, was " + attempt);
    }
    double millis = firstDelay.toMillis() * Math.pow(factor, attempt - 1);
    long capMillis = cap.toMillis();
    return Duration.ofMillis(millis >= capMillis ? capMillis : (long) millis);
  }

  /**
   * Blocks the calling thread for the wait after {@code attempt}: for blocking code on a worker
   * thread only (steps schedule their retries instead).
   */
  public void pauseAfter(int attempt) throws InterruptedException {
    Thread.sleep(delayAfter(attempt).toMillis());
  }
}
