package dev.tenantplane.migrator.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.testing.TestContainers;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.migrator.MigratorSettings;
import dev.tenantplane.migrator.TenantPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The migrator's Flyway use against a real tenant PostgreSQL, without the bus. */
class TenantMigratorIT {
  private static TenantPostgres tenant;

  @BeforeAll
  static void startTenant() {
    tenant = TenantPostgres.start(TenantPostgres.customerId("flyway"));
  }

  @AfterAll
  static void stopTenant() {
    tenant.close();
  }

  @Test
  void failingVersionIsReportedAndLeavesNothingBehind() throws Exception {
    TenantMigrator migrator = new TenantMigrator(settings("classpath:tenant-db"));
    TenantDatabase db = database();
    assertThat(
            migrator
                .migrate(db, tenant.secrets().appDatabasePassword(), Step.MIGRATE_DATABASE)
                .schemaVersion())
        .isEqualTo("1");

    TenantMigrator broken =
        new TenantMigrator(settings("classpath:tenant-db", "classpath:tenant-db-broken"));
    assertThatThrownBy(
            () -> broken.migrate(db, tenant.secrets().appDatabasePassword(), Step.MIGRATE_DATABASE))
        .isInstanceOfSatisfying(
            StepException.class,
            e -> {
              assertThat(e.retryable()).isFalse();
              assertThat(e.getMessage())
                  .contains(tenant.names().customerId())
                  .contains("version 2");
              assertThat(e.detail()).contains("no_such_column");
            });

    try (Connection owner = tenant.asOwner();
        Statement st = owner.createStatement()) {
      assertThat(single(st, "SELECT to_regclass('public.half_done') IS NULL")).isEqualTo("t");
      assertThat(single(st, "SELECT count(*) FROM flyway_schema_history WHERE version = '2'"))
          .isEqualTo("0");
      assertThat(single(st, "SELECT max(version) FROM flyway_schema_history WHERE success = true"))
          .isEqualTo("1");
    }
  }

  @Test
  void appRoleLogsInWithItsPasswordWhoseCleartextNeverReachesTheServerLog() throws Exception {
    String appPassword = tenant.secrets().appDatabasePassword();
    logEveryStatement(true);
    try {
      new TenantMigrator(settings("classpath:tenant-db"))
          .migrate(database(), appPassword, Step.MIGRATE_DATABASE);
    } finally {
      logEveryStatement(false);
    }

    try (Connection app = tenant.asApp();
        Statement st = app.createStatement()) {
      assertThat(single(st, "SELECT current_user")).isEqualTo(tenant.names().appRole());
    }
    try (Connection owner = tenant.asOwner();
        PreparedStatement stored =
            owner.prepareStatement("SELECT rolpassword FROM pg_authid WHERE rolname = ?")) {
      stored.setString(1, tenant.names().appRole());
      try (ResultSet rs = stored.executeQuery()) {
        rs.next();
        assertThat(rs.getString(1)).startsWith("SCRAM-SHA-256$4096:");
      }
    }
    String log = tenant.serverLog();
    assertThat(log).as("the password change was logged").contains("PASSWORD 'SCRAM-SHA-256$");
    assertThat(log).doesNotContain(appPassword);
  }

  @Test
  void unreachableDatabaseIsARetryableFailure() {
    TenantMigrator migrator = new TenantMigrator(settings("classpath:tenant-db"));
    TenantDatabase nowhere =
        new TenantDatabase(
            tenant.names(),
            "127.0.0.1",
            TestContainers.freeLoopbackPort(),
            tenant.secrets().databaseOwnerPassword());
    assertThatThrownBy(() -> migrator.migrate(nowhere, "irrelevant", Step.MIGRATE_DATABASE))
        .isInstanceOfSatisfying(
            StepException.class,
            e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.getMessage()).contains("does not accept connections");
            });
  }

  @Test
  void wrongOwnerPasswordIsNotRetried() {
    TenantMigrator migrator = new TenantMigrator(settings("classpath:tenant-db"));
    TenantDatabase wrong =
        new TenantDatabase(tenant.names(), "127.0.0.1", tenant.port(), "not-the-password");
    assertThatThrownBy(() -> migrator.migrate(wrong, "irrelevant", Step.MIGRATE_DATABASE))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.retryable()).isFalse());
  }

  /** The owner of the image's database is a superuser: it may change the server's logging. */
  private static void logEveryStatement(boolean on) throws SQLException {
    try (Connection owner = tenant.asOwner();
        Statement st = owner.createStatement()) {
      st.execute(
          on ? "ALTER SYSTEM SET log_statement = 'all'" : "ALTER SYSTEM RESET log_statement");
      st.execute("SELECT pg_reload_conf()");
    }
  }

  private static TenantDatabase database() {
    return new TenantDatabase(
        tenant.names(), "127.0.0.1", tenant.port(), tenant.secrets().databaseOwnerPassword());
  }

  private static String single(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static MigratorSettings settings(String... locations) {
    return new MigratorSettings() {
      @Override
      public String tenantHost() {
        return "127.0.0.1";
      }

      @Override
      public List<String> locations() {
        return List.of(locations);
      }

      @Override
      public Duration connectTimeout() {
        return Duration.ofSeconds(2);
      }

      @Override
      public int fleetConcurrencyLimit() {
        return 4;
      }

      @Override
      public String fleetPollInterval() {
        return "off";
      }

      @Override
      public Duration fleetClaimTimeout() {
        return Duration.ofMinutes(15);
      }
    };
  }
}
