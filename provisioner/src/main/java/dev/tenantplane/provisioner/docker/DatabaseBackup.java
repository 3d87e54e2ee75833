package dev.tenantplane.provisioner.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.common.retry.BoundedWait;
import dev.tenantplane.common.retry.RetryPolicy;
import dev.tenantplane.docker.ExecExit;
import dev.tenantplane.kit.StepException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Dumps a tenant database with {@code pg_dump} run inside its own container (as the owner, over the
 * container's local socket), streaming the output to a file on the host. The file appears under its
 * final name only once the dump succeeded, so its presence means a complete backup.
 */
@ApplicationScoped
public class DatabaseBackup {
  private static final RetryPolicy READY_PACE = RetryPolicy.every(Duration.ofMillis(500));

  private final DockerClient docker;

  public DatabaseBackup(DockerClient docker) {
    this.docker = docker;
  }

  /** Waits until the server in the database container accepts connections. */
  public void awaitAccepting(TenantNames names, Duration timeout) throws StepException {
    String id = names.customerId();
    boolean accepting;
    try {
      accepting = BoundedWait.until(timeout, READY_PACE, () -> isReady(names));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepException(
          "customer " + id + ": interrupted while waiting for the database",
          true,
          "step=remove customer=" + id);
    } catch (RuntimeException e) {
      throw new StepException(
          "customer " + id + ": cannot check the database: " + e.getMessage(),
          true,
          "step=remove customer=" + id + " container=" + names.databaseContainer(),
          e);
    }
    if (!accepting) {
      throw new StepException(
          "customer " + id + ": database not accepting connections within " + timeout,
          true,
          "step=remove customer=" + id + " container=" + names.databaseContainer());
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

  public void dump(TenantNames names, Path target, Duration timeout) throws StepException {
    String id = names.customerId();
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    StringBuilder errors = new StringBuilder();
    try {
      Files.deleteIfExists(partial);
      Files.createFile(
          partial,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      String exec =
          docker
              .execCreateCmd(names.databaseContainer())
              .withCmd(
                  "pg_dump",
                  "--username=" + names.ownerRole(),
                  "--dbname=" + names.database(),
                  "--no-password")
              .withAttachStdout(true)
              .withAttachStderr(true)
              .exec()
              .getId();
      try (OutputStream out = Files.newOutputStream(partial)) {
        boolean finished =
            docker
                .execStartCmd(exec)
                .exec(
                    new ResultCallback.Adapter<Frame>() {
                      @Override
                      public void onNext(Frame frame) {
                        if (frame.getStreamType() == StreamType.STDERR) {
                          errors.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                          return;
                        }
                        try {
                          out.write(frame.getPayload());
                        } catch (IOException e) {
                          throw new UncheckedIOException(e);
                        }
                      }
                    })
                .awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
          throw new StepException(
              "customer " + id + ": pg_dump did not finish within " + timeout,
              true,
              "step=remove customer=" + id + " container=" + names.databaseContainer());
        }
      }
      Long exit = ExecExit.await(docker, exec, Duration.ofSeconds(10));
      if (exit == null || exit != 0) {
        throw new StepException(
            "customer " + id + ": pg_dump failed with exit code " + exit,
            true,
            "step=remove customer="
                + id
                + " stderr=\""
                + ContainerDiagnostics.scrub(errors.toString(), List.of())
                + "\"");
      }
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new StepException(
          "customer " + id + ": cannot write backup " + target + ": " + e.getMessage(),
          true,
          "step=remove customer=" + id,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepException(
          "customer " + id + ": interrupted during pg_dump", true, "step=remove customer=" + id);
    } catch (RuntimeException e) {
      throw new StepException(
          "customer " + id + ": pg_dump could not run: " + e.getMessage(),
          true,
          "step=remove customer=" + id + " container=" + names.databaseContainer(),
          e);
    } finally {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException ignored) {
        // A leftover partial file is overwritten by the next attempt.
      }
    }
  }
}
