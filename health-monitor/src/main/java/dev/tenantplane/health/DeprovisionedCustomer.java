package dev.tenantplane.health;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A customer whose deprovisioning has begun, with the latest generation of its id deprovisioned. An
 * event of that generation or an earlier one belongs to a life that ended: the monitor never
 * watches that life again, whatever arrives later. A later generation (the id used again) is a new
 * customer to watch.
 */
@Entity
@Table(name = "deprovisioned_customers")
public class DeprovisionedCustomer extends PanacheEntityBase {
  @Id
  @Column(name = "customer_id")
  public String customerId;

  /** When the deprovisioning of the latest generation was requested (the first request seen). */
  @Column(name = "requested_at")
  public Instant requestedAt;

  /** The latest generation of the id deprovisioned. */
  public int generation;

  /**
   * Records {@code generation} of the customer as deprovisioned; a request for it again, or for an
   * earlier generation, changes nothing.
   */
  public static Uni<Void> mark(String customerId, int generation, Instant requestedAt) {
    return Panache.getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(
                        "INSERT INTO deprovisioned_customers (customer_id, requested_at, generation)"
                            + " VALUES (:customer, :at, :generation) ON CONFLICT (customer_id)"
                            + " DO UPDATE SET requested_at = excluded.requested_at,"
                            + " generation = excluded.generation"
                            + " WHERE deprovisioned_customers.generation < excluded.generation")
                    .setParameter("customer", customerId)
                    .setParameter("at", requestedAt)
                    .setParameter("generation", generation)
                    .executeUpdate())
        .replaceWithVoid();
  }

  /** The latest generation of the customer deprovisioned, 0 when none was. */
  public static Uni<Integer> generation(String customerId) {
    return DeprovisionedCustomer.<DeprovisionedCustomer>findById(customerId)
        .map(found -> found == null ? 0 : found.generation);
  }
}
