package dev.tenantplane.kit;

import java.time.Duration;

/**
 * How often a step is attempted and how long it waits between attempts: the first retry after
 * {@code firstDelay}, each later one {@code factor} times longer, never longer than {@code cap}.
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

  static RetryPolicy of(KitSettings settings) {
    return new RetryPolicy(
        settings.stepAttempts(),
        settings.stepBackoff(),
        settings.stepBackoffFactor(),
        settings.stepMaxBackoff());
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
}
