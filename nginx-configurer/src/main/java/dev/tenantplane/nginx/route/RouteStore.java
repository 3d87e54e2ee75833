package dev.tenantplane.nginx.route;

import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.events.SealedEnvelope;
import dev.tenantplane.nginx.render.RenderedConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The routes table and the last confirmed configuration, over JDBC. Every change runs in {@link
 * #locked}: a transaction holding an advisory lock, so one writer at a time changes the table and
 * nginx, across all instances of the service.
 */
@ApplicationScoped
public class RouteStore {
  private final DataSource dataSource;

  public RouteStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Work done in a locked transaction. */
  @FunctionalInterface
  public interface LockedWork<T, X extends Exception> {
    T run(Connection connection) throws SQLException, X;
  }

  /**
   * Runs {@code work} in a transaction that first takes the routes lock (released at commit or
   * rollback); commits when it returns, rolls back when it throws.
   */
  public <T, X extends Exception> T locked(LockedWork<T, X> work) throws SQLException, X {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        try (PreparedStatement lock =
            connection.prepareStatement(
                "SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.routes'))")) {
          lock.execute();
        }
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (Exception e) {
        connection.rollback();
        throw e;
      }
    }
  }

  public Optional<Route> find(Connection connection, String customerId) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(SELECT + " WHERE customer_id = ?")) {
      query.setString(1, customerId);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(route(rows)) : Optional.empty();
      }
    }
  }

  public List<Route> all(Connection connection) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(SELECT + " ORDER BY customer_id");
        ResultSet rows = query.executeQuery()) {
      List<Route> routes = new ArrayList<>();
      while (rows.next()) {
        routes.add(route(rows));
      }
      return routes;
    }
  }

  /** Stores the route as written by {@code generation} of the customer id. */
  public void save(Connection connection, Route route, int generation) throws SQLException {
    try (PreparedStatement upsert =
        connection.prepareStatement(
            "INSERT INTO routes (customer_id, app_port, database_port, redis_port,"
                + " credentials_key_id, credentials_nonce, credentials_ciphertext, suspended,"
                + " restoring, generation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (customer_id) DO UPDATE SET"
                + " app_port = excluded.app_port, database_port = excluded.database_port,"
                + " redis_port = excluded.redis_port,"
                + " credentials_key_id = excluded.credentials_key_id,"
                + " credentials_nonce = excluded.credentials_nonce,"
                + " credentials_ciphertext = excluded.credentials_ciphertext,"
                + " suspended = excluded.suspended, restoring = excluded.restoring,"
                + " generation = excluded.generation, updated_at = now()")) {
      SealedEnvelope credentials = route.credentials();
      upsert.setString(1, route.customerId());
      upsert.setInt(2, route.ports().app());
      upsert.setInt(3, route.ports().database());
      upsert.setInt(4, route.ports().redis());
      upsert.setString(5, credentials == null ? null : credentials.keyId());
      upsert.setString(6, credentials == null ? null : credentials.nonce());
      upsert.setString(7, credentials == null ? null : credentials.ciphertext());
      upsert.setBoolean(8, route.suspended());
      upsert.setBoolean(9, route.restoring());
      upsert.setInt(10, generation);
      upsert.executeUpdate();
    }
  }

  /** The generation of the customer id that wrote its route, 0 when it has none. */
  public int generation(Connection connection, String customerId) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement("SELECT generation FROM routes WHERE customer_id = ?")) {
      query.setString(1, customerId);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? rows.getInt(1) : 0;
      }
    }
  }

  public void delete(Connection connection, String customerId) throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM routes WHERE customer_id = ?")) {
      delete.setString(1, customerId);
      delete.executeUpdate();
    }
  }

  public Optional<RenderedConfig> liveConfig(Connection connection) throws SQLException {
    try (PreparedStatement query =
            connection.prepareStatement(
                "SELECT version, http_conf, locations FROM live_config WHERE id = 1");
        ResultSet rows = query.executeQuery()) {
      return rows.next()
          ? Optional.of(new RenderedConfig(rows.getString(1), rows.getString(2), rows.getString(3)))
          : Optional.empty();
    }
  }

  public void saveLiveConfig(Connection connection, RenderedConfig config) throws SQLException {
    try (PreparedStatement upsert =
        connection.prepareStatement(
            "INSERT INTO live_config (id, version, http_conf, locations) VALUES (1, ?, ?, ?)"
                + " ON CONFLICT (id) DO UPDATE SET version = excluded.version,"
                + " http_conf = excluded.http_conf, locations = excluded.locations,"
                + " applied_at = now()")) {
      upsert.setString(1, config.version());
      upsert.setString(2, config.httpConf());
      upsert.setString(3, config.locations());
      upsert.executeUpdate();
    }
  }

  private static final String SELECT =
      "SELECT customer_id, app_port, database_port, redis_port, credentials_key_id,"
          + " credentials_nonce, credentials_ciphertext, suspended, restoring FROM routes";

  private static Route route(ResultSet row) throws SQLException {
    String keyId = row.getString(5);
    SealedEnvelope credentials =
        keyId == null ? null : new SealedEnvelope(keyId, row.getString(6), row.getString(7));
    return new Route(
        row.getString(1),
        new PortAssignment(row.getInt(2), row.getInt(3), row.getInt(4)),
        credentials,
        row.getBoolean(8),
        row.getBoolean(9));
  }
}
