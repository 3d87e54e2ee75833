package dev.tenantplane.common.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedWaitTest {
  private static final RetryPolicy NO_PAUSE = RetryPolicy.every(Duration.ZERO);
  private final AtomicInteger tries = new AtomicInteger();

  @Test
  void returnsTheFirstAnswerAndAsksNoMore() throws Exception {
    Optional<String> answer =
        BoundedWait.forAnswer(
            Duration.ofSeconds(5),
            NO_PAUSE,
            () -> tries.incrementAndGet() == 3 ? Optional.of("third") : Optional.empty());

    assertThat(answer).contains("third");
    assertThat(tries).hasValue(3);
  }

  @Test
  void asksOnceEvenWithNoTimeLeft() throws Exception {
    assertThat(BoundedWait.until(Duration.ZERO, NO_PAUSE, () -> tries.incrementAndGet() > 0))
        .isTrue();
    assertThat(tries).hasValue(1);
  }

  @Test
  void givesUpOnceTheLimitHasPassed() throws Exception {
    long started = System.nanoTime();

    boolean met =
        BoundedWait.until(
            Duration.ofMillis(100),
            RetryPolicy.every(Duration.ofMillis(10)),
            () -> tries.incrementAndGet() < 0);

    assertThat(met).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(100));
    assertThat(tries.get()).isGreaterThan(1);
  }

  @Test
  void givesUpWhenThePolicyAllowsNoFurtherTry() throws Exception {
    RetryPolicy twice = new RetryPolicy(2, Duration.ZERO, 1.0, Duration.ZERO);

    assertThat(BoundedWait.until(Duration.ofHours(1), twice, () -> tries.incrementAndGet() < 0))
        .isFalse();
    assertThat(tries).hasValue(2);
  }

  @Test
  void anExceptionOfTheCheckEndsTheWait() {
    assertThatThrownBy(
            () ->
                BoundedWait.until(
                    Duration.ofHours(1),
                    NO_PAUSE,
                    () -> {
                      tries.incrementAndGet();
                      throw new IOException("refused for good");
                    }))
        .isInstanceOf(IOException.class)
        .hasMessage("refused for good");
    assertThat(tries).hasValue(1);
  }
}
