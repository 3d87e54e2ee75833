package dev.tenantplane.provisioner.allocation;

import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.retry.BoundedWait;
import dev.tenantplane.common.retry.RetryPolicy;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.provisioner.ProvisionerSettings;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Which customers' deprovisioning has begun, and the per-customer stack lock that orders it against
 * building their stack. A stack is built (files, network, volumes, containers) only while holding
 * the customer's lock and only if no withdrawal is recorded; a withdrawal is recorded under the
 * same lock before anything is removed. So the removal finds everything a concurrent start built,
 * and a start that comes later builds nothing. The lock is a PostgreSQL advisory lock, so it holds
 * across any number of provisioner instances and ends with the session of an instance that dies.
 *
 * <p>A withdrawal is recorded with the generation of its event (the highest, when there were
 * several), and an event is late, belonging to a life of the id that ended, when a withdrawal of
 * its generation or a later one is recorded. An event of a later generation (the id provisioned
 * again after a purge, or an archived customer brought back) is not.
 */
@ApplicationScoped
public class Withdrawals {
  /** First key of the two-key advisory locks: the provisioner's customer stack locks. */
  private static final int STACK_LOCKS = 0x54500001;

  private static final String TRY_LOCK = "SELECT pg_try_advisory_lock(?, hashtext(?))";
  private static final String UNLOCK = "SELECT pg_advisory_unlock(?, hashtext(?))";
  private static final RetryPolicy LOCK_PACE = RetryPolicy.every(Duration.ofMillis(200));

  private final DataSource dataSource;
  private final Duration lockWait;

  public Withdrawals(DataSource dataSource, ProvisionerSettings settings) {
    this.dataSource = dataSource;
    this.lockWait = settings.stackLockWait();
  }

  /** Work done while holding a customer's stack lock. */
  @FunctionalInterface
  public interface StackWork {
    void run() throws StepException;
  }

  /**
   * Whether an event of {@code generation} is late: a withdrawal of that generation or a later one
   * ({@code withdrawn}, null when none is recorded) ended the life it belongs to.
   */
  public static boolean late(Integer withdrawn, int generation) {
    return withdrawn != null && withdrawn >= generation;
  }

  /**
   * Whether a withdrawal of {@code generation} is late: a later life of the id began (the
   * generation its allocation serves, {@code allocated}) or was withdrawn already ({@code
   * withdrawn}); either is null when there is none. One of the same generation is not: a
   * redelivery, or the purge of a customer that generation's withdrawal archived.
   */
  public static boolean withdrawalLate(Integer withdrawn, Integer allocated, int generation) {
    return (withdrawn != null && withdrawn > generation)
        || (allocated != null && allocated > generation);
  }

  /** The generation of the customer's recorded withdrawal, or null when none is recorded. */
  public Integer generation(String customerId) throws StepException {
    try (Connection connection = dataSource.getConnection()) {
      return generation(connection, customerId);
    } catch (SQLException e) {
      throw unavailable(customerId, e);
    }
  }

  /** Whether the event is late: the deprovisioning of its life has reached the provisioner. */
  public boolean recorded(EventMeta event) throws StepException {
    return late(generation(event.customerId()), event.generation());
  }

  /**
   * Records the withdrawal of the event's generation (keeping a later one already recorded),
   * waiting for any stack build in progress to finish.
   */
  public void record(EventMeta event) throws StepException {
    String customerId = event.customerId();
    withLock(
        customerId,
        connection -> {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO provisioner.withdrawal (customer_id, generation) VALUES (?, ?)"
                      + " ON CONFLICT (customer_id) DO UPDATE"
                      + " SET generation = excluded.generation, withdrawn_at = now()"
                      + " WHERE withdrawal.generation < excluded.generation")) {
            insert.setString(1, customerId);
            insert.setInt(2, event.generation());
            insert.executeUpdate();
          }
          return true;
        });
  }

  /**
   * Runs {@code work} under the customer's lock unless the event is late (see {@link #late}); false
   * if so.
   */
  public boolean unlessWithdrawn(EventMeta event, StackWork work) throws StepException {
    return withLock(
        event.customerId(),
        connection -> {
          if (late(generation(connection, event.customerId()), event.generation())) {
            return false;
          }
          work.run();
          return true;
        });
  }

  /**
   * Inside the caller's transaction: takes the customer's lock until the transaction ends, then
   * tells whether the event is late (see {@link #late}). A row the transaction writes for an event
   * not late is committed before any withdrawal of its life can be recorded.
   */
  public Uni<Boolean> lockedAndRecorded(EventMeta event) {
    String customerId = event.customerId();
    return Panache.getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(
                        "SELECT CAST(pg_advisory_xact_lock(:locks, hashtext(:id)) AS text)")
                    .setParameter("locks", STACK_LOCKS)
                    .setParameter("id", customerId)
                    .getSingleResult()
                    .chain(
                        locked ->
                            session
                                .createNativeQuery(
                                    "SELECT max(generation) FROM withdrawal"
                                        + " WHERE customer_id = :id",
                                    Integer.class)
                                .setParameter("id", customerId)
                                .getSingleResult()))
        .map(withdrawn -> late(withdrawn, event.generation()));
  }

  @FunctionalInterface
  private interface LockedWork {
    boolean run(Connection connection) throws SQLException, StepException;
  }

  private boolean withLock(String customerId, LockedWork work) throws StepException {
    try (Connection connection = dataSource.getConnection()) {
      acquire(connection, customerId);
      try {
        return work.run(connection);
      } finally {
        release(connection, customerId);
      }
    } catch (SQLException e) {
      throw unavailable(customerId, e);
    }
  }

  // A try-lock in a loop rather than a blocking lock: the wait is bounded, and a step that gives
  // up is retried by the runner.
  private void acquire(Connection connection, String customerId)
      throws SQLException, StepException {
    boolean taken;
    try {
      taken =
          BoundedWait.until(
              lockWait, LOCK_PACE, () -> lockStatement(connection, TRY_LOCK, customerId));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepException(
          "customer " + customerId + ": interrupted waiting for the stack lock", true, null);
    }
    if (!taken) {
      throw new StepException(
          "customer " + customerId + ": stack lock not free within " + lockWait,
          true,
          "customer=" + customerId + " lock=stack");
    }
  }

  private void release(Connection connection, String customerId) throws SQLException {
    lockStatement(connection, UNLOCK, customerId);
  }

  private static boolean lockStatement(Connection connection, String sql, String customerId)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setInt(1, STACK_LOCKS);
      statement.setString(2, customerId);
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        return result.getBoolean(1);
      }
    }
  }

  private static Integer generation(Connection connection, String customerId) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT generation FROM provisioner.withdrawal WHERE customer_id = ?")) {
      query.setString(1, customerId);
      try (ResultSet result = query.executeQuery()) {
        return result.next() ? result.getInt(1) : null;
      }
    }
  }

  private static StepException unavailable(String customerId, SQLException e) {
    return new StepException(
        "customer " + customerId + ": control-plane database unavailable: " + e.getMessage(),
        true,
        "customer=" + customerId + " table=withdrawal",
        e);
  }
}
