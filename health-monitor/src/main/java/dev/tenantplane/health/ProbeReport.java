package dev.tenantplane.health;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The outcome of one probe round for one customer: the error of each failing component, which of
 * those failures were probes that ran out of time (slow, not known to be down), and the job queue
 * the app reported (null when it reported none).
 */
public record ProbeReport(
    Map<Component, String> failures, Set<Component> timedOut, QueueStats queue) {
  public ProbeReport {
    failures = failures.isEmpty() ? Map.of() : new EnumMap<>(failures);
    timedOut = timedOut.isEmpty() ? Set.of() : EnumSet.copyOf(timedOut);
    if (!failures.keySet().containsAll(timedOut)) {
      throw new IllegalArgumentException("a timed-out component without its failure");
    }
  }

  /** A round in which the app reported no job queue. */
  public ProbeReport(Map<Component, String> failures, Set<Component> timedOut) {
    this(failures, timedOut, null);
  }

  /** Failures that were all answered: refused, rejected, a wrong status. */
  public ProbeReport(Map<Component, String> failures) {
    this(failures, Set.of());
  }

  public static ProbeReport allHealthy() {
    return new ProbeReport(Map.of());
  }
}
