package dev.tenantplane.migrator;

import dev.tenantplane.common.crypto.TenantSecrets;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.common.testing.LocalImages;
import dev.tenantplane.common.testing.TestContainers;
import dev.tenantplane.common.testing.TestInfrastructure;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A customer's database as the provisioner starts it: owner {@code customer_<id>}, database {@code
 * saas_<id>}, owner password from freshly generated secrets. Each test uses its own customer id.
 */
public final class TenantPostgres implements AutoCloseable {
  private final TenantNames names;
  private final TenantSecrets secrets;
  private final PostgreSQLContainer container;

  private TenantPostgres(TenantNames names, TenantSecrets secrets, PostgreSQLContainer container) {
    this.names = names;
    this.secrets = secrets;
    this.container = container;
  }

  /**
   * A unique customer id under this module's test prefix {@code mg-}, e.g. {@code
   * mg-fleet-3f2a1c0d}.
   */
  public static String customerId(String label) {
    return "mg-" + label + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  public static TenantPostgres start(String customerId) {
    TenantNames names = new TenantNames(customerId);
    TenantSecrets secrets = TenantSecrets.generate(new SecureRandom());
    PostgreSQLContainer container =
        new PostgreSQLContainer(LocalImages.postgres())
            .withDatabaseName(names.database())
            .withUsername(names.ownerRole())
            .withPassword(secrets.databaseOwnerPassword())
            .withLabel(TenantNames.CUSTOMER_LABEL, customerId)
            .waitingFor(TestInfrastructure.postgresReady());
    TestContainers.onLoopback(container, Map.of(5432, 0));
    container.start();
    return new TenantPostgres(names, secrets, container);
  }

  public TenantNames names() {
    return names;
  }

  public TenantSecrets secrets() {
    return secrets;
  }

  public int port() {
    return container.getMappedPort(5432);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + names.database();
  }

  public Connection asOwner() throws SQLException {
    return DriverManager.getConnection(
        jdbcUrl(), names.ownerRole(), secrets.databaseOwnerPassword());
  }

  public Connection asApp() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), names.appRole(), secrets.appDatabasePassword());
  }

  /** What the server wrote to its log so far. */
  public String serverLog() {
    return container.getLogs();
  }

  @Override
  public void close() {
    container.stop();
  }
}
