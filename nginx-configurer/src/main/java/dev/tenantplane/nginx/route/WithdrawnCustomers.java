package dev.tenantplane.nginx.route;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The withdrawal markers: customers whose deprovisioning began, with the latest generation
 * withdrawn. An event of that generation or an earlier one belongs to a life that ended and is
 * late; a later generation is the id used again. Read and written inside {@link RouteStore#locked},
 * so a marker and the route deletion it goes with are seen together by every other change.
 */
@ApplicationScoped
public class WithdrawnCustomers {

  /**
   * Marks the customer withdrawn up to {@code generation}; marking it again keeps the first time of
   * the latest generation, and never lowers the generation.
   */
  public void mark(Connection connection, String customerId, int generation) throws SQLException {
    try (PreparedStatement upsert =
        connection.prepareStatement(
            "INSERT INTO withdrawn_customers (customer_id, withdrawn_at, generation)"
                + " VALUES (?, now(), ?) ON CONFLICT (customer_id) DO UPDATE SET"
                + " generation = excluded.generation, withdrawn_at = excluded.withdrawn_at"
                + " WHERE withdrawn_customers.generation < excluded.generation")) {
      upsert.setString(1, customerId);
      upsert.setInt(2, generation);
      upsert.executeUpdate();
    }
  }

  /** The latest generation withdrawn, 0 when the customer was never withdrawn. */
  public int generation(Connection connection, String customerId) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT generation FROM withdrawn_customers WHERE customer_id = ?")) {
      query.setString(1, customerId);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? rows.getInt(1) : 0;
      }
    }
  }
}
