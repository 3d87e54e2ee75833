package dev.tenantplane.migrator.fleet;

import dev.tenantplane.common.events.FleetMigrationCompleted.Outcome;

/**
 * What migrating one customer of a fleet run gave: its outcome, its schema version when it
 * succeeded, the reason and diagnostics (never a secret) when it failed.
 */
public record CustomerResult(Outcome outcome, String schemaVersion, String reason, String detail) {
  public static CustomerResult migrated(String schemaVersion) {
    return new CustomerResult(Outcome.MIGRATED, schemaVersion, null, null);
  }

  public static CustomerResult alreadyCurrent(String schemaVersion) {
    return new CustomerResult(Outcome.ALREADY_CURRENT, schemaVersion, null, null);
  }

  public static CustomerResult failed(String reason, String detail) {
    return new CustomerResult(Outcome.FAILED, null, reason, detail);
  }

  public boolean succeeded() {
    return outcome != Outcome.FAILED;
  }
}
