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
 * A customer whose deprovisioning has begun. Final for its id (the gateway never accepts a
 * deprovisioned id again), so the monitor never watches it again, whatever arrives later.
 */
@Entity
@Table(name = "deprovisioned_customers")
public class DeprovisionedCustomer extends PanacheEntityBase {
  @Id
  @Column(name = "customer_id")
  public String customerId;

  /** When the deprovisioning was requested (the first request seen). */
  @Column(name = "requested_at")
  public Instant requestedAt;

  /** Records the customer as deprovisioned; a later request for it changes nothing. */
  public static Uni<Void> mark(String customerId, Instant requestedAt) {
    return Panache.getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(
                        "INSERT INTO deprovisioned_customers (customer_id, requested_at)"
                            + " VALUES (:customer, :at) ON CONFLICT DO NOTHING")
                    .setParameter("customer", customerId)
                    .setParameter("at", requestedAt)
                    .executeUpdate())
        .replaceWithVoid();
  }

  public static Uni<Boolean> isMarked(String customerId) {
    return count("customerId", customerId).map(count -> count > 0);
  }
}
