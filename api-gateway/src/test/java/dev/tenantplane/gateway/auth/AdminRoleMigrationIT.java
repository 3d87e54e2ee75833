package dev.tenantplane.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.testing.InfrastructureResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * An installation from before the admin role: its bootstrap token, stored as an operator, becomes
 * the admin; every other operator stays one. Each case migrates a schema of its own to V108, adds
 * the tokens such an installation holds, then migrates it to the latest version.
 */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres,redis"))
class AdminRoleMigrationIT {
  @Inject AgroalDataSource dataSource;

  @Test
  void theBootstrapTokenBecomesAdminAndOtherOperatorsStayOperators() throws SQLException {
    Map<String, String> roles =
        upgrade(
            "upgrade_bootstrap",
            "('admin', 'operator', 'h1', 'bootstrap', NULL, NULL),"
                + " ('ops', 'operator', 'h2', 'admin', now() + interval '1 day', NULL),"
                + " ('old-ops', 'operator', 'h3', 'admin', NULL, now()),"
                + " ('looker', 'viewer', 'h4', 'ops', now() + interval '1 day', NULL)");
    assertThat(roles)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("admin", "admin", "ops", "operator", "old-ops", "operator", "looker", "viewer"));
  }

  @Test
  void aBootstrapTokenFromBeforeCreatorsWereRecordedBecomesAdminToo() throws SQLException {
    Map<String, String> roles =
        upgrade(
            "upgrade_before_v104",
            "('admin', 'operator', 'h1', NULL, NULL, NULL),"
                + " ('ops', 'operator', 'h2', NULL, NULL, NULL)");
    assertThat(roles)
        .containsExactlyInAnyOrderEntriesOf(Map.of("admin", "admin", "ops", "operator"));
  }

  /** The roles after the upgrade of a V108 schema holding {@code tokens} (SQL value rows). */
  private Map<String, String> upgrade(String schema, String tokens) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      flyway(schema).target("108").load().migrate();
      statement.execute(
          "INSERT INTO "
              + schema
              + ".api_token (name, role, token_hash, created_by, expires_at, revoked_at) VALUES "
              + tokens);
      flyway(schema).load().migrate();
      Map<String, String> roles = new HashMap<>();
      try (var rows = statement.executeQuery("SELECT name, role FROM " + schema + ".api_token")) {
        while (rows.next()) {
          roles.put(rows.getString("name"), rows.getString("role"));
        }
      }
      statement.execute("DROP SCHEMA " + schema + " CASCADE");
      return roles;
    }
  }

  private org.flywaydb.core.api.configuration.FluentConfiguration flyway(String schema) {
    return Flyway.configure()
        .dataSource(dataSource)
        .schemas(schema)
        .locations("db/kit", "db/migration");
  }
}
