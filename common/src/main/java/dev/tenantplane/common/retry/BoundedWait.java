package dev.tenantplane.common.retry;

import java.time.Duration;
import java.util.Optional;

/**
 * Asks a question again and again, paced by a {@link RetryPolicy}, until it has an answer or a time
 * limit has passed: the one way blocking code waits for a container, a lock or a server. It always
 * asks at least once, and never pauses past the limit's first overrun.
 */
public final class BoundedWait {
  private BoundedWait() {}

  /** One try: an answer, or empty for "not yet". */
  @FunctionalInterface
  public interface Attempt<T, E extends Exception> {
    Optional<T> attempt() throws E;
  }

  /** One yes-or-no check. */
  @FunctionalInterface
  public interface Check<E extends Exception> {
    boolean met() throws E;
  }

  /**
   * The first answer {@code attempt} gives, or empty when {@code limit} passes first or {@code
   * pace} allows no further try. Exceptions of the attempt end the wait and reach the caller.
   */
  public static <T, E extends Exception> Optional<T> forAnswer(
      Duration limit, RetryPolicy pace, Attempt<T, E> attempt) throws E, InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    for (int tries = 1; ; tries++) {
      Optional<T> answer = attempt.attempt();
      if (answer.isPresent()) {
        return answer;
      }
      if (pace.isLast(tries) || System.nanoTime() - deadline > 0) {
        return Optional.empty();
      }
      pace.pauseAfter(tries);
    }
  }

  /** Whether {@code check} was met before {@code limit} passed. */
  public static <E extends Exception> boolean until(
      Duration limit, RetryPolicy pace, Check<E> check) throws E, InterruptedException {
    return forAnswer(limit, pace, () -> check.met() ? Optional.of(true) : Optional.empty())
        .isPresent();
  }
}
