package dev.tenantplane.health;

import dev.tenantplane.common.events.Health;
import java.time.Instant;

/**
 * What the monitor remembers of one customer between rounds.
 *
 * @param readyReported CustomerReady was emitted for the current routing
 * @param health last health reported in an event (null before ready)
 * @param failingComponent component that failed in the last round, if any
 * @param failingRounds consecutive rounds in which that component failed
 * @param restartWindowStart start of the window counting restarts
 * @param restartsInWindow restarts requested within the window
 * @param nextRestartAt no restart before this time (back-off)
 */
public record WatchState(
    boolean readyReported,
    Health health,
    Component failingComponent,
    int failingRounds,
    Instant restartWindowStart,
    int restartsInWindow,
    Instant nextRestartAt) {

  public static WatchState fresh() {
    return new WatchState(false, null, null, 0, null, 0, null);
  }
}
