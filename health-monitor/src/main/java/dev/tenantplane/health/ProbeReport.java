package dev.tenantplane.health;

import java.util.EnumMap;
import java.util.Map;

/** The outcome of one probe round for one customer: the error of each failing component. */
public record ProbeReport(Map<Component, String> failures) {
  public ProbeReport {
    failures = failures.isEmpty() ? Map.of() : new EnumMap<>(failures);
  }

  public static ProbeReport allHealthy() {
    return new ProbeReport(Map.of());
  }
}
