package dev.tenantplane.migrator.registry;

import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.SealedEnvelope;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * The customers this service migrated, one row per customer for the life (generation) it serves
 * now, and the last life of each customer that ended. Writes return a {@link Uni} to run inside the
 * caller's transaction; fleet runs read the table directly (see {@code FleetRuns}).
 *
 * <p>An event is late, belonging to a life that ended, when an end of its generation or a later one
 * is recorded ({@link #late}); a row of a later life than an event's is never changed by it.
 */
@ApplicationScoped
public class CustomerRegistry {
  private final Clock clock;

  public CustomerRegistry(Clock clock) {
    this.clock = clock;
  }

  /**
   * Whether an event of {@code generation} is late: the life it belongs to ended ({@code ended},
   * the last ended generation, null when none did).
   */
  public static boolean late(Integer ended, int generation) {
    return ended != null && ended >= generation;
  }

  /** Whether the event belongs to a life of its customer that ended here. Blocking. */
  public boolean ended(EventMeta event) {
    Integer ended;
    try {
      ended =
          VertxContextSupport.subscribeAndAwait(
              () ->
                  Panache.withSession(
                      () ->
                          Panache.getSession()
                              .chain(
                                  s ->
                                      s.createNativeQuery(
                                              "SELECT max(generation) FROM ended_customers"
                                                  + " WHERE customer_id = :id",
                                              Integer.class)
                                          .setParameter("id", event.customerId())
                                          .getSingleResult())));
    } catch (Throwable e) {
      throw new IllegalStateException("control-plane database: " + e.getMessage(), e);
    }
    return late(ended, event.generation());
  }

  /**
   * Records (or refreshes) a migrated customer as active, for the event's life; a row of a later
   * life is left as it is.
   */
  public Uni<Void> remember(
      EventMeta event, int dbPort, SealedEnvelope credentials, String schemaVersion) {
    String customerId = event.customerId();
    return MigratedCustomer.<MigratedCustomer>findById(customerId)
        .chain(
            found -> {
              if (found != null && found.generation > event.generation()) {
                return Uni.createFrom().voidItem();
              }
              MigratedCustomer customer = found == null ? new MigratedCustomer() : found;
              customer.customerId = customerId;
              customer.generation = event.generation();
              customer.dbPort = dbPort;
              customer.envelopeKeyId = credentials.keyId();
              customer.envelopeNonce = credentials.nonce();
              customer.envelopeCipher = credentials.ciphertext();
              customer.schemaVersion = schemaVersion;
              customer.active = true;
              customer.migratedAt = clock.instant();
              return customer.persist().replaceWithVoid();
            });
  }

  /**
   * Records the schema version a fleet run brought the customer's life of {@code generation} to.
   */
  public Uni<Void> recordVersion(String customerId, int generation, String schemaVersion) {
    return MigratedCustomer.update(
            "schemaVersion = ?1, migratedAt = ?2 where customerId = ?3 and generation = ?4",
            schemaVersion,
            clock.instant(),
            customerId,
            generation)
        .replaceWithVoid();
  }

  /** Marks the event's life of the customer active or not; a row of another life is kept. */
  public Uni<Void> setActive(EventMeta event, boolean active) {
    return MigratedCustomer.update(
            "active = ?1 where customerId = ?2 and generation = ?3",
            active,
            event.customerId(),
            event.generation())
        .replaceWithVoid();
  }

  /**
   * Forgets the customer's row, unless it is of a later life than the event's, and records that the
   * event's life ended (keeping a later one already recorded). A bulk delete, not {@code
   * deleteById}: removing a loaded entity while other customers' steps did the same left a
   * transaction idle after its DELETE, never committed.
   */
  public Uni<Void> forget(EventMeta event) {
    return MigratedCustomer.delete(
            "customerId = ?1 and generation <= ?2", event.customerId(), event.generation())
        .chain(
            () ->
                Panache.getSession()
                    .chain(
                        s ->
                            s.createNativeQuery(
                                    "INSERT INTO ended_customers (customer_id, generation)"
                                        + " VALUES (:id, :generation)"
                                        + " ON CONFLICT (customer_id) DO UPDATE"
                                        + " SET generation = excluded.generation, ended_at = now()"
                                        + " WHERE ended_customers.generation"
                                        + " < excluded.generation")
                                .setParameter("id", event.customerId())
                                .setParameter("generation", event.generation())
                                .executeUpdate()))
        .replaceWithVoid();
  }
}
