package dev.tenantplane.provisioner.allocation;

import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.events.SealedEnvelope;
import dev.tenantplane.common.naming.Plan;
import dev.tenantplane.common.naming.PortPlan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Access to the {@code allocation} table. The blocking reads are for the steps, which run on worker
 * threads, each its own session; the writes return a {@link Uni} to run inside the caller's
 * transaction, which is a step's commit, so that a row changes exactly when the step's events are
 * written to the outbox.
 */
@ApplicationScoped
public class AllocationStore {

  public Optional<Allocation> find(String customerId) {
    return Optional.ofNullable(
        await(() -> Panache.withSession(() -> Allocation.<Allocation>findById(customerId))));
  }

  /** Offsets held by any customer. */
  public Set<Integer> takenOffsets() {
    List<Allocation> all = await(() -> Panache.withSession(() -> Allocation.<Allocation>listAll()));
    Set<Integer> offsets = new HashSet<>();
    all.forEach(a -> offsets.add(a.portOffset));
    return offsets;
  }

  /** The customer's row as the caller's transaction sees it, or null. */
  Uni<Allocation> load(String customerId) {
    return Allocation.findById(customerId);
  }

  /**
   * Inserts the customer's row holding {@code ports}, inside the caller's transaction. Writes
   * nothing, and yields false, when the customer already has a row or another customer holds any of
   * the ports: the table's unique constraints decide, so two instances racing for the same ports
   * cannot both win. {@code ON CONFLICT DO NOTHING} waits for a concurrent transaction holding the
   * same key and leaves the caller's transaction usable either way.
   */
  Uni<Boolean> insert(
      String customerId, String name, Plan plan, PortAssignment ports, SealedEnvelope sealed) {
    return Panache.getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(
                        "INSERT INTO allocation (customer_id, name, plan, port_offset, app_port,"
                            + " database_port, redis_port, credentials_key_id,"
                            + " credentials_nonce, credentials_ciphertext)"
                            + " VALUES (:id, :name, :plan, :offset, :app, :db, :redis, :keyId,"
                            + " :nonce, :ciphertext)"
                            + " ON CONFLICT DO NOTHING")
                    .setParameter("id", customerId)
                    .setParameter("name", name)
                    .setParameter("plan", plan.wireName())
                    .setParameter("offset", PortPlan.offsetOf(ports))
                    .setParameter("app", ports.app())
                    .setParameter("db", ports.database())
                    .setParameter("redis", ports.redis())
                    .setParameter("keyId", sealed.keyId())
                    .setParameter("nonce", sealed.nonce())
                    .setParameter("ciphertext", sealed.ciphertext())
                    .executeUpdate())
        .map(rows -> rows == 1);
  }

  /**
   * Marks the customer's stack suspended inside the caller's transaction (keeps the first time).
   */
  public Uni<Integer> markSuspended(String customerId, Instant at) {
    return Allocation.update(
        "suspendedAt = ?1 where customerId = ?2 and suspendedAt is null", at, customerId);
  }

  /** Marks the customer's stack running again inside the caller's transaction. */
  public Uni<Integer> markResumed(String customerId) {
    return Allocation.update("suspendedAt = null where customerId = ?1", customerId);
  }

  /** Deletes the customer's row inside the caller's transaction (a step's commit). */
  public Uni<Boolean> release(String customerId) {
    return Allocation.deleteById(customerId);
  }

  private static <T> T await(Supplier<Uni<T>> work) {
    try {
      return VertxContextSupport.subscribeAndAwait(work);
    } catch (Throwable e) {
      throw new IllegalStateException("control-plane database: " + e.getMessage(), e);
    }
  }
}
