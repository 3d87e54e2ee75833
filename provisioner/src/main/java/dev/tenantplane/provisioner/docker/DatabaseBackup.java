package dev.tenantplane.provisioner.docker;

import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.common.retry.BoundedWait;
import dev.tenantplane.common.retry.RetryPolicy;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.provisioner.backup.BackupRole;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Dumps a tenant database with {@code pg_dump} run inside its own container (as the owner, over the
 * container's local socket, so no password is on any command line), streaming the output to a file
 * on the host, encrypted (see {@link ExecToFile}).
 */
@ApplicationScoped
public class DatabaseBackup {
  private static final RetryPolicy READY_PACE = RetryPolicy.every(Duration.ofMillis(500));

  private static final String HAS_HISTORY =
      "SELECT to_regclass('public.flyway_schema_history') IS NOT NULL";
  private static final String SCHEMA_VERSION =
      "SELECT version FROM public.flyway_schema_history WHERE success AND version IS NOT NULL"
          + " ORDER BY installed_rank DESC LIMIT 1";

  private final ExecToFile files;
  private final ContainerExec exec;

  public DatabaseBackup(ExecToFile files, ContainerExec exec) {
    this.files = files;
    this.exec = exec;
  }

  /** Waits until the server in the database container accepts connections. */
  public void awaitAccepting(TenantNames names, Duration timeout, String step)
      throws StepException {
    String id = names.customerId();
    boolean accepting;
    try {
      accepting =
          BoundedWait.until(
              timeout,
              READY_PACE,
              () ->
                  exec.run(
                          names,
                          step,
                          names.databaseContainer(),
                          "pg_isready",
                          List.of("pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"),
                          Duration.ofSeconds(10))
                      .succeeded());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepException(
          "customer " + id + ": interrupted while waiting for the database",
          true,
          "step=" + step + " customer=" + id);
    }
    if (!accepting) {
      throw new StepException(
          "customer " + id + ": database not accepting connections within " + timeout,
          true,
          "step=" + step + " customer=" + id + " container=" + names.databaseContainer());
    }
  }

  /** A plain SQL dump, as the seed's {@code pg_dump > backup.sql} writes it. */
  public void dump(TenantNames names, Path target, Duration timeout, String step)
      throws StepException {
    files.write(
        names,
        step,
        names.databaseContainer(),
        "pg_dump",
        pgDump(names, "plain"),
        target,
        BackupRole.SQL_DUMP,
        timeout);
  }

  /** A custom-format archive, the format {@code pg_restore} reads selectively and in parallel. */
  public void archive(TenantNames names, Path target, Duration timeout, String step)
      throws StepException {
    files.write(
        names,
        step,
        names.databaseContainer(),
        "pg_dump",
        pgDump(names, "custom"),
        target,
        BackupRole.DATABASE_ARCHIVE,
        timeout);
  }

  /**
   * The newest schema version Flyway applied successfully, or null when no migration has run (there
   * is no history table yet).
   */
  public String schemaVersion(TenantNames names, String step) throws StepException {
    // Two queries: one that names a missing table fails when parsed, whatever guards it.
    if (!"t".equals(psql(names, step, HAS_HISTORY))) {
      return null;
    }
    String version = psql(names, step, SCHEMA_VERSION);
    return version.isEmpty() ? null : version;
  }

  /** The output of one query, run as the owner over the container's local socket. */
  private String psql(TenantNames names, String step, String query) throws StepException {
    ContainerExec.Output output =
        exec.run(
            names,
            step,
            names.databaseContainer(),
            "psql",
            List.of(
                "psql",
                "--username=" + names.ownerRole(),
                "--dbname=" + names.database(),
                "--no-password",
                "--no-psqlrc",
                "--tuples-only",
                "--no-align",
                "--command=" + query),
            Duration.ofSeconds(30));
    if (!output.succeeded()) {
      throw new StepException(
          "customer "
              + names.customerId()
              + ": cannot read the schema version (psql exit code "
              + output.exit()
              + ")",
          true,
          "step="
              + step
              + " customer="
              + names.customerId()
              + " output=\""
              + output.diagnostics()
              + "\"");
    }
    return output.stdout().strip();
  }

  private static List<String> pgDump(TenantNames names, String format) {
    return List.of(
        "pg_dump",
        "--username=" + names.ownerRole(),
        "--dbname=" + names.database(),
        "--format=" + format,
        "--no-password");
  }
}
