package dev.tenantplane.common.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy =
      new RetryPolicy(4, Duration.ofMillis(500), 2.0, Duration.ofSeconds(3));

  @Test
  void delaysGrowByTheFactorFromTheFirstDelay() {
    assertThat(policy.delayAfter(1)).isEqualTo(Duration.ofMillis(500));
    assertThat(policy.delayAfter(2)).isEqualTo(Duration.ofMillis(1000));
    assertThat(policy.delayAfter(3)).isEqualTo(Duration.ofMillis(2000));
  }

  @Test
  void delaysNeverExceedTheCap() {
    assertThat(policy.delayAfter(4)).isEqualTo(Duration.ofSeconds(3));
    assertThat(policy.delayAfter(60)).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void onlyTheAttemptAtTheLimitIsTheLast() {
    assertThat(policy.isLast(3)).isFalse();
    assertThat(policy.isLast(4)).isTrue();
    assertThat(new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO).isLast(1)).isTrue();
  }

  @Test
  void refusesSettingsThatMakeNoSense() {
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, 2.0, Duration.ZERO))
        .hasMessageContaining("attempts");
    assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofMillis(-1), 2.0, Duration.ZERO))
        .hasMessageContaining("negative");
    assertThatThrownBy(() -> new RetryPolicy(3, Duration.ZERO, 0.5, Duration.ZERO))
        .hasMessageContaining("factor");
    assertThatThrownBy(() -> policy.delayAfter(0)).hasMessageContaining("from 1");
  }

  @Test
  void aPollWaitsTheSameEachTimeAndNeverRunsOut() {
    RetryPolicy poll = RetryPolicy.every(Duration.ofMillis(50));
    assertThat(poll.delayAfter(1)).isEqualTo(Duration.ofMillis(50));
    assertThat(poll.delayAfter(1_000)).isEqualTo(Duration.ofMillis(50));
    assertThat(poll.isLast(1_000_000)).isFalse();
  }
}
