package dev.tenantplane.migrator.registry;

import dev.tenantplane.common.events.SealedEnvelope;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * The customers this service migrated. Writes return a {@link Uni} to run inside the caller's
 * transaction; fleet runs read the table directly (see {@code FleetRuns}).
 */
@ApplicationScoped
public class CustomerRegistry {
  private final Clock clock;

  public CustomerRegistry(Clock clock) {
    this.clock = clock;
  }

  /** Records (or refreshes) a migrated customer as active. */
  public Uni<Void> remember(
      String customerId, int dbPort, SealedEnvelope credentials, String schemaVersion) {
    return MigratedCustomer.<MigratedCustomer>findById(customerId)
        .chain(
            found -> {
              MigratedCustomer customer = found == null ? new MigratedCustomer() : found;
              customer.customerId = customerId;
              customer.dbPort = dbPort;
              customer.envelopeKeyId = credentials.keyId();
              customer.envelopeNonce = credentials.nonce();
              customer.envelopeCipher = credentials.ciphertext();
              customer.schemaVersion = schemaVersion;
              customer.active = true;
              customer.migratedAt = clock.instant();
              return customer.persist();
            })
        .replaceWithVoid();
  }

  public Uni<Void> recordVersion(String customerId, String schemaVersion) {
    return MigratedCustomer.update(
            "schemaVersion = ?1, migratedAt = ?2 where customerId = ?3",
            schemaVersion,
            clock.instant(),
            customerId)
        .replaceWithVoid();
  }

  public Uni<Void> setActive(String customerId, boolean active) {
    return MigratedCustomer.update("active = ?1 where customerId = ?2", active, customerId)
        .replaceWithVoid();
  }

  /**
   * A bulk delete, not {@code deleteById}: removing a loaded entity while other customers' steps
   * did the same left a transaction idle after its DELETE, never committed.
   */
  public Uni<Void> forget(String customerId) {
    return MigratedCustomer.delete("customerId = ?1", customerId).replaceWithVoid();
  }
}
