package dev.tenantplane.health;

import dev.tenantplane.common.events.Health;
import java.time.Duration;
import java.time.Instant;

/**
 * The rules of watching, free of I/O: from the remembered state and a round's verdict, what to
 * report and whether to restart something.
 *
 * <ul>
 *   <li>The first all-healthy round after routing reports the customer ready; before that, failures
 *       are a stack still starting and nothing is reported.
 *   <li>After ready, every change of health (or of the blamed component) is reported once.
 *   <li>A component failing {@code failuresBeforeRestart} rounds in a row gets its container
 *       restarted, at most {@code maxRestarts} times per window, with doubling back-off; then the
 *       customer is left alone (already reported unhealthy): no restart storms.
 *   <li>A component whose probes only run out of time is slow, not known to be down: on a host busy
 *       starting other stacks every probe is late, and a restart would add to the load. It is
 *       restarted after {@code timeoutsBeforeRestart} rounds in a row (a hung process still is).
 * </ul>
 */
public final class HealthTransition {

  /** The numbers the rules use, from {@link HealthSettings}. */
  public record Rules(
      int failuresBeforeRestart,
      int timeoutsBeforeRestart,
      int maxRestarts,
      Duration restartWindow,
      Duration restartBackoff) {}

  /** A restart to request: which component, and its number within the window (1-based). */
  public record Restart(Component component, int number) {}

  /**
   * What a round leads to.
   *
   * @param ready emit CustomerReady
   * @param changed emit CustomerHealthChanged from {@code previous} to the round's verdict
   * @param restart request this restart, or null
   * @param gaveUp the restart budget is spent: the customer is left alone
   */
  public record Outcome(
      WatchState next,
      boolean ready,
      boolean changed,
      Health previous,
      Restart restart,
      boolean gaveUp) {}

  private final Rules rules;

  public HealthTransition(Rules rules) {
    this.rules = rules;
  }

  /** Consecutive failed rounds after which the verdict's component is restarted. */
  public int roundsBeforeRestart(Verdict verdict) {
    return verdict.timedOut() ? rules.timeoutsBeforeRestart() : rules.failuresBeforeRestart();
  }

  public Outcome apply(WatchState state, Verdict verdict, Instant now) {
    Component failing = verdict.component();
    int failingRounds =
        failing == null ? 0 : failing == state.failingComponent() ? state.failingRounds() + 1 : 1;

    if (!state.readyReported()) {
      boolean ready = verdict.health() == Health.HEALTHY;
      WatchState next =
          new WatchState(
              ready,
              ready ? Health.HEALTHY : null,
              failing,
              failingRounds,
              state.restartWindowStart(),
              state.restartsInWindow(),
              state.nextRestartAt());
      return new Outcome(next, ready, false, null, null, false);
    }

    boolean changed =
        verdict.health() != state.health()
            || (verdict.health() != Health.HEALTHY && failing != state.failingComponent());

    Instant windowStart = state.restartWindowStart();
    int restarts = state.restartsInWindow();
    Instant nextRestartAt = state.nextRestartAt();
    Restart restart = null;
    boolean gaveUp = false;
    boolean restartable =
        verdict.health() == Health.UNHEALTHY
            && failing != Component.NGINX
            && failingRounds >= roundsBeforeRestart(verdict);
    if (restartable) {
      if (windowStart == null || !now.isBefore(windowStart.plus(rules.restartWindow()))) {
        windowStart = now;
        restarts = 0;
        nextRestartAt = null;
      }
      if (restarts >= rules.maxRestarts()) {
        gaveUp = true;
      } else if (nextRestartAt == null || !now.isBefore(nextRestartAt)) {
        restart = new Restart(failing, restarts + 1);
        nextRestartAt = now.plus(rules.restartBackoff().multipliedBy(1L << restarts));
        restarts++;
        failingRounds = 0;
      }
    }
    WatchState next =
        new WatchState(
            true, verdict.health(), failing, failingRounds, windowStart, restarts, nextRestartAt);
    return new Outcome(next, false, changed, state.health(), restart, gaveUp);
  }
}
