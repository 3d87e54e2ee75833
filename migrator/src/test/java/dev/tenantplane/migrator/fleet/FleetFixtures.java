package dev.tenantplane.migrator.fleet;

import dev.tenantplane.common.crypto.EnvelopeSealer;
import dev.tenantplane.common.crypto.TenantSecrets;
import dev.tenantplane.common.events.SealedEnvelope;
import dev.tenantplane.common.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** The migrator's tables in the control-plane PostgreSQL, as fleet tests set and read them. */
public final class FleetFixtures {
  private FleetFixtures() {}

  /** Customers and runs left by other test classes would count in a fleet run. */
  public static void forgetEveryCustomerAndRun() throws SQLException {
    try (Connection c = controlPlane();
        Statement st = c.createStatement()) {
      st.executeUpdate("DELETE FROM migrator.fleet_runs");
      st.executeUpdate("DELETE FROM migrator.migrated_customers");
    }
  }

  /** A registry row as the migration step leaves it, at {@code schemaVersion}. */
  public static void register(
      String customerId,
      int dbPort,
      TenantSecrets secrets,
      EnvelopeSealer sealer,
      String schemaVersion)
      throws SQLException {
    SealedEnvelope envelope = secrets.seal(customerId, sealer);
    try (Connection c = controlPlane();
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO migrator.migrated_customers (customer_id, db_port, envelope_key_id,"
                    + " envelope_nonce, envelope_cipher, schema_version, active)"
                    + " VALUES (?, ?, ?, ?, ?, ?, true)")) {
      insert.setString(1, customerId);
      insert.setInt(2, dbPort);
      insert.setString(3, envelope.keyId());
      insert.setString(4, envelope.nonce());
      insert.setString(5, envelope.ciphertext());
      insert.setString(6, schemaVersion);
      insert.executeUpdate();
    }
  }

  /** The registry row of a customer, as a fleet run and the status steps read it. */
  public record RegistryRow(int generation, boolean active, int dbPort, String schemaVersion) {}

  /** The customer's registry row, or null when it has none. */
  public static RegistryRow registryRow(String customerId) throws SQLException {
    try (Connection c = controlPlane();
        PreparedStatement query =
            c.prepareStatement(
                "SELECT generation, active, db_port, schema_version"
                    + " FROM migrator.migrated_customers WHERE customer_id = ?")) {
      query.setString(1, customerId);
      try (ResultSet rs = query.executeQuery()) {
        return rs.next()
            ? new RegistryRow(rs.getInt(1), rs.getBoolean(2), rs.getInt(3), rs.getString(4))
            : null;
      }
    }
  }

  /** Forgets that lives of the customer ended, so a test can start it as a first life again. */
  public static void forgetEndedLives(String customerId) throws SQLException {
    try (Connection c = controlPlane();
        PreparedStatement delete =
            c.prepareStatement("DELETE FROM migrator.ended_customers WHERE customer_id = ?")) {
      delete.setString(1, customerId);
      delete.executeUpdate();
    }
  }

  /** Makes the customer's registry row one of its life of {@code generation}. */
  public static void setGeneration(String customerId, int generation) throws SQLException {
    try (Connection c = controlPlane();
        PreparedStatement update =
            c.prepareStatement(
                "UPDATE migrator.migrated_customers SET generation = ? WHERE customer_id = ?")) {
      update.setInt(1, generation);
      update.setString(2, customerId);
      update.executeUpdate();
    }
  }

  public static String registryVersion(String customerId) throws SQLException {
    return single(
        "SELECT schema_version FROM migrator.migrated_customers WHERE customer_id = ?", customerId);
  }

  /** How many customers of the run are in each state: "pending", "claimed", "finished". */
  public static long customersOfRun(UUID run, String state) throws SQLException {
    String condition =
        switch (state) {
          case "pending" -> "outcome IS NULL AND claimed_at IS NULL";
          case "claimed" -> "outcome IS NULL AND claimed_at IS NOT NULL";
          case "finished" -> "outcome IS NOT NULL";
          default -> throw new IllegalArgumentException(state);
        };
    String count =
        single(
            "SELECT count(*) FROM migrator.fleet_run_customers WHERE run_id = ?::uuid AND "
                + condition,
            run.toString());
    return Long.parseLong(count);
  }

  /** Whether the run is recorded; null when not, else whether it is completed. */
  public static Boolean runCompleted(UUID run) throws SQLException {
    String completed =
        single(
            "SELECT (completed_at IS NOT NULL)::text FROM migrator.fleet_runs"
                + " WHERE run_id = ?::uuid",
            run.toString());
    return completed == null ? null : Boolean.valueOf(completed);
  }

  private static String single(String sql, String parameter) throws SQLException {
    try (Connection c = controlPlane();
        PreparedStatement query = c.prepareStatement(sql)) {
      query.setString(1, parameter);
      try (ResultSet rs = query.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static Connection controlPlane() throws SQLException {
    var pg = TestInfrastructure.postgres();
    return DriverManager.getConnection(pg.getJdbcUrl(), pg.getUsername(), pg.getPassword());
  }
}
