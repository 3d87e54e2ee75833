package dev.tenantplane.provisioner.allocation;

import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.events.SealedEnvelope;
import dev.tenantplane.common.naming.Plan;
import dev.tenantplane.common.naming.PortPlan;
import dev.tenantplane.provisioner.network.Subnet;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
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
    return new HashSet<>(column("SELECT port_offset FROM allocation", Integer.class));
  }

  /** Subnets held by any customer. */
  public List<Subnet> takenSubnets() {
    List<Subnet> subnets = new ArrayList<>();
    column("SELECT subnet FROM allocation WHERE subnet IS NOT NULL", String.class)
        .forEach(cidr -> subnets.add(Subnet.parse(cidr)));
    return subnets;
  }

  // A single column rather than whole entities: the allocate step reads the table on every
  // request, and with hundreds of customers loading entities is most of its time.
  private static <T> List<T> column(String sql, Class<T> type) {
    return await(
        () ->
            Panache.withSession(
                () ->
                    Panache.getSession()
                        .chain(session -> session.createNativeQuery(sql, type).getResultList())));
  }

  /**
   * In a transaction of its own, records {@code subnet} for a customer whose row has none yet (an
   * allocation made before subnets were recorded). Writes nothing when the row already has one, is
   * gone, or another row holds an overlapping subnet; a concurrent transaction taking the same
   * subnet makes it fail instead, and the caller retries. The caller reads the row back.
   */
  public void recordMissingSubnet(String customerId, Subnet subnet) {
    await(
        () ->
            Panache.withTransaction(
                () ->
                    Panache.getSession()
                        .chain(
                            session ->
                                session
                                    .createNativeQuery(
                                        "UPDATE allocation SET subnet = :subnet"
                                            + " WHERE customer_id = :id AND subnet IS NULL"
                                            + " AND NOT EXISTS (SELECT 1 FROM allocation other"
                                            + " WHERE CAST(other.subnet AS cidr)"
                                            + " && CAST(CAST(:subnet AS text) AS cidr))")
                                    .setParameter("id", customerId)
                                    .setParameter("subnet", subnet.toString())
                                    .executeUpdate())));
  }

  /** The customer's row as the caller's transaction sees it, or null. */
  Uni<Allocation> load(String customerId) {
    return Allocation.findById(customerId);
  }

  /**
   * Inserts the customer's row holding {@code ports} and {@code subnet}, inside the caller's
   * transaction. Writes nothing, and yields false, when the customer already has a row or another
   * customer holds any of the ports or an overlapping subnet: the table's constraints decide, so
   * two instances racing for the same ports or subnet cannot both win. {@code ON CONFLICT DO
   * NOTHING} waits for a concurrent transaction holding the same key and leaves the caller's
   * transaction usable either way.
   */
  Uni<Boolean> insert(
      String customerId,
      String name,
      Plan plan,
      PortAssignment ports,
      Subnet subnet,
      SealedEnvelope sealed) {
    return Panache.getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(
                        "INSERT INTO allocation (customer_id, name, plan, port_offset, app_port,"
                            + " database_port, redis_port, subnet, credentials_key_id,"
                            + " credentials_nonce, credentials_ciphertext)"
                            + " VALUES (:id, :name, :plan, :offset, :app, :db, :redis, :subnet,"
                            + " :keyId, :nonce, :ciphertext)"
                            + " ON CONFLICT DO NOTHING")
                    .setParameter("id", customerId)
                    .setParameter("name", name)
                    .setParameter("plan", plan.wireName())
                    .setParameter("offset", PortPlan.offsetOf(ports))
                    .setParameter("app", ports.app())
                    .setParameter("db", ports.database())
                    .setParameter("redis", ports.redis())
                    .setParameter("subnet", subnet.toString())
                    .setParameter("keyId", sealed.keyId())
                    .setParameter("nonce", sealed.nonce())
                    .setParameter("ciphertext", sealed.ciphertext())
                    .executeUpdate())
        .map(rows -> rows == 1);
  }

  /** What another row holds of an insert that wrote nothing. */
  record Conflict(boolean ports, boolean subnet) {}

  /**
   * Inside the caller's transaction, after {@link #insert} wrote nothing: whether another row holds
   * any of {@code ports}, and whether one holds a subnet overlapping {@code subnet}. The insert
   * waited for any concurrent transaction holding them, so this statement sees its outcome.
   */
  Uni<Conflict> conflict(PortAssignment ports, Subnet subnet) {
    // The client binds a parameter as the type the server infers for it: cast as text first, so a
    // String is accepted where a cidr is compared.
    return Panache.getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(
                        "SELECT coalesce(bool_or(port_offset = :offset OR app_port = :app"
                            + " OR database_port = :db OR redis_port = :redis), false),"
                            + " coalesce(bool_or(CAST(subnet AS cidr)"
                            + " && CAST(CAST(:subnet AS text) AS cidr)), false)"
                            + " FROM allocation")
                    .setParameter("offset", PortPlan.offsetOf(ports))
                    .setParameter("app", ports.app())
                    .setParameter("db", ports.database())
                    .setParameter("redis", ports.redis())
                    .setParameter("subnet", subnet.toString())
                    .getSingleResult())
        .map(
            result -> {
              Object[] row = (Object[]) result;
              return new Conflict(Boolean.TRUE.equals(row[0]), Boolean.TRUE.equals(row[1]));
            });
  }

  /**
   * Marks the customer's stack suspended inside the caller's transaction (keeps the first time).
   */
  public Uni<Integer> markSuspended(String customerId, Instant at) {
    return Allocation.update(
        "suspendedAt = ?1 where customerId = ?2 and suspendedAt is null", at, customerId);
  }

  /**
   * Inside the caller's transaction: the customer's allocation now serves its life of {@code
   * generation} (kept when it already serves that one or a later one).
   */
  public Uni<Integer> recordGeneration(String customerId, int generation) {
    return Allocation.update(
        "generation = ?1 where customerId = ?2 and generation < ?1", generation, customerId);
  }

  /** Marks the customer's stack running again inside the caller's transaction. */
  public Uni<Integer> markResumed(String customerId) {
    return Allocation.update("suspendedAt = null where customerId = ?1", customerId);
  }

  /**
   * Deletes the customer's row inside the caller's transaction (a step's commit). A bulk delete,
   * not {@code deleteById}: removing a loaded entity while other customers' steps did the same left
   * a transaction idle after its DELETE, never committed, and its step waiting for good.
   */
  public Uni<Boolean> release(String customerId) {
    return Allocation.delete("customerId = ?1", customerId).map(deleted -> deleted > 0);
  }

  private static <T> T await(Supplier<Uni<T>> work) {
    try {
      return VertxContextSupport.subscribeAndAwait(work);
    } catch (Throwable e) {
      throw new IllegalStateException("control-plane database: " + e.getMessage(), e);
    }
  }
}
