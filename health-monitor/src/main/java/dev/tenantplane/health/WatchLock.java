package dev.tenantplane.health;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Orders the steps that start and end a customer's watch. Without it, a deprovision committing
 * between a watch step's "not deprovisioned" check and its insert would find no row to deactivate,
 * and the watch would start anyway (each transaction only sees what was committed before it
 * looked). Both steps take the customer's lock first, so the later one sees the earlier one's rows.
 * A PostgreSQL advisory lock, so it holds across instances and ends with the transaction.
 */
final class WatchLock {
  private WatchLock() {}

  /** Takes the customer's lock until the current transaction ends. */
  static Uni<Void> hold(String customerId) {
    return Panache.getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(
                        "SELECT CAST(pg_advisory_xact_lock(hashtext(current_schema() || '.watch'),"
                            + " hashtext(:customer)) AS text)")
                    .setParameter("customer", customerId)
                    .getSingleResult())
        .replaceWithVoid();
  }
}
