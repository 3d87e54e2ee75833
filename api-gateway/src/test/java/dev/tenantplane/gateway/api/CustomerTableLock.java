package dev.tenantplane.gateway.api;

import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.vertx.mutiny.sqlclient.Pool;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Holds an exclusive lock on the customer table so that customer inserts queue up behind it while
 * reads go on. Requests sent meanwhile pass every check made before their insert and then wait, so
 * closing the lock lets them reach the database at the same moment: a race made certain rather than
 * hoped for.
 */
final class CustomerTableLock implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final Connection connection;
  private final Pool pool;

  private CustomerTableLock(Connection connection, Pool pool) {
    this.connection = connection;
    this.pool = pool;
  }

  static CustomerTableLock take(AgroalDataSource dataSource, Pool pool) throws SQLException {
    Connection connection = dataSource.getConnection();
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.execute("LOCK TABLE api_gateway.customer IN EXCLUSIVE MODE");
    }
    return new CustomerTableLock(connection, pool);
  }

  /** Waits until {@code count} customer inserts are queued behind this lock. */
  void awaitQueuedInserts(int count) {
    await(count + " customer inserts queued behind the lock")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> queuedInserts() >= count);
  }

  private long queuedInserts() {
    return pool.query(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                + " AND query LIKE 'INSERT INTO customer %'")
        .execute()
        .await()
        .atMost(WAIT)
        .iterator()
        .next()
        .getLong(0);
  }

  @Override
  public void close() throws SQLException {
    try {
      connection.rollback();
    } finally {
      connection.close();
    }
  }
}
