package dev.tenantplane.provisioner.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.common.retry.BoundedWait;
import dev.tenantplane.common.retry.RetryPolicy;
import dev.tenantplane.docker.ExecExit;
import dev.tenantplane.kit.StepException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Dumps a tenant database with {@code pg_dump} run inside its own container (as the owner, over the
 * container's local socket, so no password is on any command line), streaming the output to a file
 * on the host (see {@link ExecToFile}).
 */
@ApplicationScoped
public class DatabaseBackup {
  private static final RetryPolicy READY_PACE = RetryPolicy.every(Duration.ofMillis(500));

  private static final String HAS_HISTORY =
      "SELECT to_regclass('public.flyway_schema_history') IS NOT NULL";
  private static final String SCHEMA_VERSION =
      "SELECT version FROM public.flyway_schema_history WHERE success AND version IS NOT NULL"
          + " ORDER BY installed_rank DESC LIMIT 1";

  private final DockerClient docker;
  private final ExecToFile files;

  public DatabaseBackup(DockerClient docker, ExecToFile files) {
    this.docker = docker;
    this.files = files;
  }

  /** Waits until the server in the database container accepts connections. */
  public void awaitAccepting(TenantNames names, Duration timeout, String step)
      throws StepException {
    String id = names.customerId();
    boolean accepting;
    try {
      accepting = BoundedWait.until(timeout, READY_PACE, () -> isReady(names));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepException(
          "customer " + id + ": interrupted while waiting for the database",
          true,
          "step=" + step + " customer=" + id);
    } catch (RuntimeException e) {
      throw new StepException(
          "customer " + id + ": cannot check the database: " + e.getMessage(),
          true,
          "step=" + step + " customer=" + id + " container=" + names.databaseContainer(),
          e);
    }
    if (!accepting) {
      throw new StepException(
          "customer " + id + ": database not accepting connections within " + timeout,
          true,
          "step=" + step + " customer=" + id + " container=" + names.databaseContainer());
    }
  }

  private boolean isReady(TenantNames names) throws InterruptedException {
    String exec =
        docker
            .execCreateCmd(names.databaseContainer())
            .withCmd("pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432")
            .exec()
            .getId();
    docker.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>());
    Long exit = ExecExit.await(docker, exec, Duration.ofSeconds(10));
    return exit != null && exit == 0;
  }

  /** A plain SQL dump, as the seed's {@code pg_dump > backup.sql} writes it. */
  public void dump(TenantNames names, Path target, Duration timeout, String step)
      throws StepException {
    files.write(
        names, step, names.databaseContainer(), "pg_dump", pgDump(names, "plain"), target, timeout);
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
    String id = names.customerId();
    StringBuilder out = new StringBuilder();
    try {
      String exec =
          docker
              .execCreateCmd(names.databaseContainer())
              .withCmd(
                  "psql",
                  "--username=" + names.ownerRole(),
                  "--dbname=" + names.database(),
                  "--no-password",
                  "--no-psqlrc",
                  "--tuples-only",
                  "--no-align",
                  "--command=" + query)
              .withAttachStdout(true)
              .withAttachStderr(true)
              .exec()
              .getId();
      docker
          .execStartCmd(exec)
          .exec(
              new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                  out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
              })
          .awaitCompletion(30, TimeUnit.SECONDS);
      Long exit = ExecExit.await(docker, exec, Duration.ofSeconds(10));
      if (exit == null || exit != 0) {
        throw new StepException(
            "customer " + id + ": cannot read the schema version (psql exit code " + exit + ")",
            true,
            "step="
                + step
                + " customer="
                + id
                + " output=\""
                + ContainerDiagnostics.scrub(out.toString(), List.of())
                + "\"");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepException(
          "customer " + id + ": interrupted while reading the schema version",
          true,
          "step=" + step + " customer=" + id);
    } catch (RuntimeException e) {
      throw new StepException(
          "customer " + id + ": cannot read the schema version: " + e.getMessage(),
          true,
          "step=" + step + " customer=" + id + " container=" + names.databaseContainer(),
          e);
    }
    return out.toString().strip();
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
