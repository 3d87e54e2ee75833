package dev.tenantplane.provisioner.docker;

import com.github.dockerjava.api.model.StreamType;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.provisioner.backup.BackupCipher;
import dev.tenantplane.provisioner.backup.BackupRole;
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

/**
 * Runs a command in one of a customer's containers ({@code docker exec}) and streams its standard
 * output to a file on this host, created 0600, encrypted as it arrives for the customer and the
 * file's role ({@link BackupCipher}: no plain byte of it reaches the disk). The file appears under
 * its final name only once the command exited with 0, so its presence means a complete copy; the
 * command's standard error goes into the failure's detail, scrubbed.
 */
@ApplicationScoped
public class ExecToFile {
  private final ContainerExec exec;
  private final BackupCipher cipher;

  public ExecToFile(ContainerExec exec, BackupCipher cipher) {
    this.exec = exec;
    this.cipher = cipher;
  }

  /**
   * Writes the output of {@code command}, run in {@code container}, to {@code target}.
   *
   * @param step the lifecycle step, for the failure's message and detail
   * @param tool what runs, as the failure names it (e.g. {@code pg_dump})
   * @param role what the file holds, bound to its encryption with the customer's id
   */
  public void write(
      TenantNames names,
      String step,
      String container,
      String tool,
      List<String> command,
      Path target,
      BackupRole role,
      Duration timeout)
      throws StepException {
    String id = names.customerId();
    String context = "step=" + step + " customer=" + id + " container=" + container;
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    StringBuilder errors = new StringBuilder();
    try {
      Files.deleteIfExists(partial);
      Files.createFile(
          partial,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      long exit;
      try (OutputStream out = cipher.encrypt(Files.newOutputStream(partial), id, role)) {
        exit =
            exec.stream(
                names,
                step,
                container,
                tool,
                command,
                timeout,
                (stream, payload) -> {
                  if (stream == StreamType.STDERR) {
                    errors.append(new String(payload, StandardCharsets.UTF_8));
                    return;
                  }
                  try {
                    out.write(payload);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
      }
      if (exit != 0) {
        throw new StepException(
            "customer " + id + ": " + tool + " failed with exit code " + exit,
            true,
            context
                + " stderr=\""
                + ContainerDiagnostics.scrub(errors.toString(), List.of())
                + "\"");
      }
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | UncheckedIOException e) {
      throw new StepException(
          "customer " + id + ": cannot write " + target + ": " + e.getMessage(), true, context, e);
    } finally {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException ignored) {
        // A leftover partial file is overwritten by the next attempt.
      }
    }
  }
}
