package dev.tenantplane.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StreamPaceTest {
  private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");
  private static final Duration TURN = Duration.ofMillis(250);

  private static Instant turn(int n) {
    return T0.plus(TURN.multipliedBy(n));
  }

  @Test
  void aStreamReadsOnItsFirstTurnThenOnlyWhenItsMarkMoves() {
    StreamPace pace = new StreamPace(Duration.ZERO, Duration.ofSeconds(5));

    assertThat(pace.readNow(7, true, turn(0))).isTrue();
    assertThat(pace.readNow(7, true, turn(1))).isFalse();
    assertThat(pace.readNow(7, true, turn(2))).isFalse();
    assertThat(pace.readNow(8, true, turn(3))).isTrue();
    assertThat(pace.readNow(8, true, turn(4))).isFalse();
  }

  @Test
  void aQuietStreamStillReadsOncePerFallbackInterval() {
    StreamPace pace = new StreamPace(Duration.ZERO, Duration.ofSeconds(1));

    assertThat(pace.readNow(1, true, turn(0))).isTrue();
    assertThat(pace.readNow(1, true, turn(3))).isFalse();
    assertThat(pace.readNow(1, true, turn(4))).isTrue();
    assertThat(pace.readNow(1, true, turn(5))).isFalse();
  }

  @Test
  void withoutSignalsAStreamReadsOnEveryTurn() {
    StreamPace pace = new StreamPace(Duration.ZERO, Duration.ofSeconds(5));

    assertThat(pace.readNow(1, false, turn(0))).isTrue();
    assertThat(pace.readNow(1, false, turn(1))).isTrue();
    assertThat(pace.readNow(1, false, turn(2))).isTrue();
  }

  @Test
  void afterItsMarkMovesAStreamKeepsReadingUntilTheSettleTimeHasPassed() {
    StreamPace pace = new StreamPace(Duration.ofSeconds(1), Duration.ofSeconds(60));

    assertThat(pace.readNow(1, true, turn(0))).isTrue();
    assertThat(pace.readNow(1, true, turn(10))).isFalse();
    assertThat(pace.readNow(2, true, turn(11))).isTrue();
    assertThat(pace.readNow(2, true, turn(13))).isTrue();
    assertThat(pace.readNow(2, true, turn(15))).isTrue();
    assertThat(pace.readNow(2, true, turn(16))).isFalse();
  }
}
