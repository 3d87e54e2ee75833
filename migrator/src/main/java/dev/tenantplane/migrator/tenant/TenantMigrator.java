package dev.tenantplane.migrator.tenant;

import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.retry.BoundedWait;
import dev.tenantplane.common.retry.RetryPolicy;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.migrator.MigratorSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

/**
 * Brings one tenant database to the latest tenant schema: waits until it accepts connections, runs
 * the pending Flyway migrations as the owner (each in its own transaction, so a failing version
 * leaves nothing behind), then sets the app role's password from the customer's secrets. Running it
 * again on a migrated database changes nothing.
 */
@ApplicationScoped
public class TenantMigrator {
  /** duplicate_object, duplicate_function, duplicate_table, duplicate_schema. */
  private static final Set<String> DUPLICATE_OBJECT_STATES =
      Set.of("42710", "42723", "42P07", "42P06");

  private static final Logger LOG = Logger.getLogger(TenantMigrator.class);
  private static final RetryPolicy CONNECT_PACE = RetryPolicy.every(Duration.ofMillis(500));
  private static final String SQLSTATE_CONNECTION_CLASS = "08";
  private static final String SQLSTATE_CANNOT_CONNECT_NOW = "57P03";
  private static final String SCRAM_SHA_256 = "scram-sha-256";

  private final MigratorSettings settings;

  public TenantMigrator(MigratorSettings settings) {
    this.settings = settings;
  }

  /**
   * @param step the step on whose behalf it runs, for the log line
   */
  public MigrationOutcome migrate(TenantDatabase db, String appPassword, Step step)
      throws StepException {
    awaitConnectable(db);
    Flyway flyway = flyway(db);
    MigrateResult result;
    try {
      result = flyway.migrate();
    } catch (FlywayException e) {
      throw failed(db, flyway, e);
    }
    setAppPassword(db, appPassword);
    String version = currentVersion(flyway);
    LOG.infof(
        "customer=%s step=%s outcome=migrated database=%s schema_version=%s applied=%d",
        db.customerId(), step, db.describe(), version, result.migrationsExecuted);
    return new MigrationOutcome(version, result.migrationsExecuted);
  }

  private Flyway flyway(TenantDatabase db) {
    return Flyway.configure()
        .dataSource(db.jdbcUrl(), db.names().ownerRole(), db.ownerPassword())
        .jdbcProperties(Map.of("connectTimeout", "5", "ApplicationName", "tenantplane-migrator"))
        .locations(settings.locations().toArray(String[]::new))
        .placeholders(Map.of("app_role", db.names().appRole(), "database", db.names().database()))
        .connectRetries(0)
        .validateMigrationNaming(true)
        .load();
  }

  private void awaitConnectable(TenantDatabase db) throws StepException {
    SQLException[] last = new SQLException[1];
    boolean connected;
    try {
      connected =
          BoundedWait.until(
              settings.connectTimeout(),
              CONNECT_PACE,
              () -> {
                try (Connection ignored = connect(db)) {
                  return true;
                } catch (SQLException e) {
                  if (!isTransient(e)) {
                    throw new StepException(
                        "cannot log in to the database of "
                            + db.customerId()
                            + " at "
                            + db.describe(),
                        false,
                        "sqlstate=" + e.getSQLState() + " " + e.getMessage());
                  }
                  last[0] = e;
                  return false;
                }
              });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepException("interrupted while waiting for a tenant database", true, null, e);
    }
    if (!connected) {
      throw new StepException(
          "database of "
              + db.customerId()
              + " at "
              + db.describe()
              + " does not accept connections",
          true,
          "sqlstate=" + last[0].getSQLState() + " " + last[0].getMessage());
    }
  }

  /** Not up yet (refused, starting, restarting), as opposed to a wrong password or database. */
  private static boolean isTransient(SQLException e) {
    String state = e.getSQLState();
    return state == null
        || state.startsWith(SQLSTATE_CONNECTION_CLASS)
        || state.equals(SQLSTATE_CANNOT_CONNECT_NOW);
  }

  private static Connection connect(TenantDatabase db) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", db.names().ownerRole());
    props.setProperty("password", db.ownerPassword());
    props.setProperty("connectTimeout", "5");
    return DriverManager.getConnection(db.jdbcUrl(), props);
  }

  /**
   * ALTER ROLE takes no bind parameters, and a statement holding the plaintext would show it in the
   * server's log whenever the statement is logged (log_statement, or an error). So the driver
   * computes the SCRAM-SHA-256 verifier here (random salt, 4096 iterations, as the server would)
   * and the statement carries only that verifier, which is what the server stores anyway.
   */
  private static void setAppPassword(TenantDatabase db, String appPassword) throws StepException {
    char[] password = appPassword.toCharArray();
    try (Connection connection = connect(db)) {
      connection
          .unwrap(PGConnection.class)
          .alterUserPassword(db.names().appRole(), password, SCRAM_SHA_256);
    } catch (SQLException e) {
      throw new StepException(
          "cannot set the app role password of " + db.customerId(),
          isTransient(e),
          "role=" + db.names().appRole() + " sqlstate=" + e.getSQLState());
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private static String currentVersion(Flyway flyway) {
    MigrationInfo current = flyway.info().current();
    return current == null || current.getVersion() == null
        ? "0"
        : current.getVersion().getVersion();
  }

  /**
   * Flyway leaves the failed version pending (its transaction rolled back), so the first pending
   * migration names the version that failed.
   */
  private static StepException failed(TenantDatabase db, Flyway flyway, FlywayException e) {
    String version;
    try {
      version =
          Arrays.stream(flyway.info().pending())
              .findFirst()
              .map(m -> m.getVersion().getVersion())
              .orElse("unknown");
    } catch (FlywayException unreadable) {
      version = "unknown";
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new StepException(
        "migration of "
            + db.customerId()
            + " failed at version "
            + version
            + ": "
            + firstLines(message, 3),
        createdMeanwhile(e),
        "database=" + db.describe() + " failed_version=" + version + " flyway=" + message,
        e);
  }

  /**
   * An object the migration creates already existed (SQL state class 42, duplicate_*): another
   * attempt of the same step ran the same version at the same time (a record redelivered after a
   * rebalance while the first consumer still worked). The next attempt finds that version applied,
   * so the failure is worth retrying rather than final.
   */
  private static boolean createdMeanwhile(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql
          && sql.getSQLState() != null
          && DUPLICATE_OBJECT_STATES.contains(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private static String firstLines(String text, int lines) {
    return String.join(" ", text.lines().map(String::strip).limit(lines).toList());
  }
}
