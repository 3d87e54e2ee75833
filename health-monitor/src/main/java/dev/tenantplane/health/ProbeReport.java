package dev.tenantplane.health;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The outcome of one probe round for one customer: the error of each failing component, and which
 * of those failures were probes that ran out of time (slow, not known to be down).
 */
public record ProbeReport(Map<Component, String> failures, Set<Component> timedOut) {
  public ProbeReport {
    failures = failures.isEmpty() ? Map.of() : new EnumMap<>(failures);
    timedOut = timedOut.isEmpty() ? Set.of() : EnumSet.copyOf(timedOut);
    if (!failures.keySet().containsAll(timedOut)) {
      throw new IllegalArgumentException("a timed-out component without its failure");
    }
  }

  /** Failures that were all answered: refused, rejected, a wrong status. */
  public ProbeReport(Map<Component, String> failures) {
    this(failures, Set.of());
  }

  public static ProbeReport allHealthy() {
    return new ProbeReport(Map.of());
  }
}
