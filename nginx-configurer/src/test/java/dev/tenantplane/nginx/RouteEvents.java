package dev.tenantplane.nginx;

import dev.tenantplane.common.events.DatabaseMigrated;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.events.SealedEnvelope;
import java.time.Clock;
import java.util.UUID;

/** The events the route tests send, and unique customer ids for them. */
final class RouteEvents {
  static final Clock CLOCK = Clock.systemUTC();

  private RouteEvents() {}

  /** A customer id no other test run uses: {@code prefix} and eight random characters. */
  static String id(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static SealedEnvelope migratedCredentials() {
    return new SealedEnvelope("k1", "bm9uY2U=", "Y2lwaGVydGV4dA==");
  }

  /** A DatabaseMigrated starting a new run for the customer, its app on {@code appPort}. */
  static DatabaseMigrated migrated(String customerId, int appPort) {
    return migrated(customerId, appPort, migratedCredentials());
  }

  /** The same in {@code generation} of the customer id (1 is its first life). */
  static DatabaseMigrated migrated(String customerId, int generation, int appPort) {
    return migrated(customerId, generation, appPort, migratedCredentials());
  }

  static DatabaseMigrated migrated(String customerId, int appPort, SealedEnvelope credentials) {
    return migrated(customerId, EventMeta.FIRST_GENERATION, appPort, credentials);
  }

  private static DatabaseMigrated migrated(
      String customerId, int generation, int appPort, SealedEnvelope credentials) {
    return new DatabaseMigrated(
        EventMeta.start(customerId, generation, CLOCK),
        "V1",
        new PortAssignment(appPort, 5433, 6380),
        credentials);
  }
}
