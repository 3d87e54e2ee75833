package dev.tenantplane.nginx.route;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The withdrawal markers: customers whose deprovisioning began. Customer ids are never reused, so a
 * marked id is never routed again. Read and written inside {@link RouteStore#locked}, so a marker
 * and the route deletion it goes with are seen together by every other change.
 */
@ApplicationScoped
public class WithdrawnCustomers {

  /** Marks the customer withdrawn; marking it again keeps the first time. */
  public void mark(Connection connection, String customerId) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO withdrawn_customers (customer_id, withdrawn_at) VALUES (?, now())"
                + " ON CONFLICT (customer_id) DO NOTHING")) {
      insert.setString(1, customerId);
      insert.executeUpdate();
    }
  }

  public boolean contains(Connection connection, String customerId) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement("SELECT 1 FROM withdrawn_customers WHERE customer_id = ?")) {
      query.setString(1, customerId);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }
}
