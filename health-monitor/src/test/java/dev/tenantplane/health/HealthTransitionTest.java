package dev.tenantplane.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.events.Health;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HealthTransitionTest {
  private static final Verdict HEALTHY = Verdict.of(ProbeReport.allHealthy());
  private static final Verdict REDIS_DOWN =
      Verdict.of(new ProbeReport(Map.of(Component.REDIS, "refused", Component.APP, "HTTP 503")));
  private static final Verdict DATABASE_SLOW =
      Verdict.of(
          new ProbeReport(
              Map.of(
                  Component.DATABASE, "The connection attempt failed.", Component.APP, "HTTP 503"),
              Set.of(Component.DATABASE)));
  private static final Verdict NGINX_DOWN =
      Verdict.of(new ProbeReport(Map.of(Component.NGINX, "HTTP 502")));

  private final HealthTransition transition =
      new HealthTransition(
          new HealthTransition.Rules(3, 12, 2, Duration.ofMinutes(10), Duration.ofSeconds(20)));
  private Instant now = Instant.parse("2026-11-27T10:00:00Z");

  @Test
  void failuresBeforeTheFirstHealthyRoundAreAStackStartingAndReportNothing() {
    HealthTransition.Outcome outcome = transition.apply(WatchState.fresh(), REDIS_DOWN, now);
    assertThat(outcome.ready()).isFalse();
    assertThat(outcome.changed()).isFalse();
    assertThat(outcome.restart()).isNull();
  }

  @Test
  void firstHealthyRoundReportsReadyOnce() {
    HealthTransition.Outcome first = transition.apply(WatchState.fresh(), HEALTHY, now);
    HealthTransition.Outcome second = transition.apply(first.next(), HEALTHY, now.plusSeconds(5));
    assertThat(first.ready()).isTrue();
    assertThat(second.ready()).isFalse();
    assertThat(second.changed()).isFalse();
  }

  @Test
  void blameGoesToTheDependencyNotTheAppThatFailsBecauseOfIt() {
    assertThat(REDIS_DOWN.health()).isEqualTo(Health.UNHEALTHY);
    assertThat(REDIS_DOWN.componentName()).isEqualTo("redis");
    assertThat(NGINX_DOWN.health()).isEqualTo(Health.DEGRADED);
  }

  @Test
  void aTransitionIsReportedOnceAndRecoveryAgain() {
    WatchState ready = transition.apply(WatchState.fresh(), HEALTHY, now).next();
    HealthTransition.Outcome down = transition.apply(ready, REDIS_DOWN, tick());
    HealthTransition.Outcome stillDown = transition.apply(down.next(), REDIS_DOWN, tick());
    HealthTransition.Outcome up = transition.apply(stillDown.next(), HEALTHY, tick());
    assertThat(down.changed()).isTrue();
    assertThat(down.previous()).isEqualTo(Health.HEALTHY);
    assertThat(stillDown.changed()).isFalse();
    assertThat(up.changed()).isTrue();
    assertThat(up.previous()).isEqualTo(Health.UNHEALTHY);
  }

  @Test
  void restartComesAfterConsecutiveFailuresOfOneComponent() {
    WatchState state = transition.apply(WatchState.fresh(), HEALTHY, now).next();
    HealthTransition.Outcome outcome = null;
    for (int round = 1; round <= 3; round++) {
      outcome = transition.apply(state, REDIS_DOWN, tick());
      state = outcome.next();
      if (round < 3) {
        assertThat(outcome.restart()).isNull();
      }
    }
    assertThat(outcome.restart()).isEqualTo(new HealthTransition.Restart(Component.REDIS, 1));
  }

  @Test
  void aComponentThatOnlyRunsOutOfTimeIsReportedAtOnceButRestartedOnlyAfterTheLongerCount() {
    WatchState state = transition.apply(WatchState.fresh(), HEALTHY, now).next();
    HealthTransition.Outcome first = transition.apply(state, DATABASE_SLOW, tick());
    assertThat(first.changed()).isTrue();
    assertThat(first.next().health()).isEqualTo(Health.UNHEALTHY);
    state = first.next();
    int roundOfRestart = 0;
    for (int round = 2; round <= 12 && roundOfRestart == 0; round++) {
      HealthTransition.Outcome outcome = transition.apply(state, DATABASE_SLOW, tick());
      state = outcome.next();
      roundOfRestart = outcome.restart() == null ? 0 : round;
    }
    assertThat(roundOfRestart).isEqualTo(12);
  }

  @Test
  void aSlowComponentThatThenRefusesIsRestartedAfterTheShorterCount() {
    WatchState state = transition.apply(WatchState.fresh(), HEALTHY, now).next();
    Verdict databaseRefused =
        Verdict.of(new ProbeReport(Map.of(Component.DATABASE, "Connection refused")));
    state = transition.apply(state, DATABASE_SLOW, tick()).next();
    state = transition.apply(state, DATABASE_SLOW, tick()).next();
    HealthTransition.Outcome refused = transition.apply(state, databaseRefused, tick());
    assertThat(refused.restart()).isEqualTo(new HealthTransition.Restart(Component.DATABASE, 1));
  }

  @Test
  void aComponentThatNeverRecoversGetsAtMostTheRestartBudgetWithinTheWindow() {
    WatchState state = transition.apply(WatchState.fresh(), HEALTHY, now).next();
    int restarts = 0;
    boolean gaveUp = false;
    for (int round = 0; round < 100; round++) {
      HealthTransition.Outcome outcome = transition.apply(state, REDIS_DOWN, tick());
      state = outcome.next();
      restarts += outcome.restart() == null ? 0 : 1;
      gaveUp |= outcome.gaveUp();
    }
    assertThat(restarts).isEqualTo(2);
    assertThat(gaveUp).isTrue();
  }

  @Test
  void restartsAreSpacedByADoublingBackOff() {
    WatchState state = transition.apply(WatchState.fresh(), HEALTHY, now).next();
    Instant firstRestart = null;
    Instant secondRestart = null;
    for (int round = 0; round < 100 && secondRestart == null; round++) {
      HealthTransition.Outcome outcome = transition.apply(state, REDIS_DOWN, tick());
      state = outcome.next();
      if (outcome.restart() != null) {
        if (firstRestart == null) {
          firstRestart = now;
        } else {
          secondRestart = now;
        }
      }
    }
    assertThat(Duration.between(firstRestart, secondRestart))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void nginxOutageIsReportedButRestartsNoCustomerContainer() {
    WatchState state = transition.apply(WatchState.fresh(), HEALTHY, now).next();
    for (int round = 0; round < 10; round++) {
      HealthTransition.Outcome outcome = transition.apply(state, NGINX_DOWN, tick());
      state = outcome.next();
      assertThat(outcome.restart()).isNull();
    }
    assertThat(state.health()).isEqualTo(Health.DEGRADED);
  }

  private Instant tick() {
    now = now.plusSeconds(5);
    return now;
  }
}
