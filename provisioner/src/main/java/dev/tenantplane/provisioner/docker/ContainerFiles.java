package dev.tenantplane.provisioner.docker;

import com.github.dockerjava.api.DockerClient;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.provisioner.backup.BackupCipher;
import dev.tenantplane.provisioner.backup.BackupFileException;
import dev.tenantplane.provisioner.backup.StoredBackup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Puts a backup file of this host into one of a customer's containers ({@code docker cp}),
 * decrypted, owned by the container's own user and readable by it alone, also into a stopped
 * container. The tar stream is built here so that the owner and mode are set rather than taken from
 * this host.
 */
@ApplicationScoped
public class ContainerFiles {
  private static final int OWNER_ONLY = 0600;

  /** A container user's numeric ids. */
  public record Owner(int uid, int gid) {}

  private final DockerClient docker;
  private final ContainerExec exec;
  private final BackupCipher cipher;

  public ContainerFiles(DockerClient docker, ContainerExec exec, BackupCipher cipher) {
    this.docker = docker;
    this.exec = exec;
    this.cipher = cipher;
  }

  /** The ids of the user {@code container} runs as; the container must be running. */
  public Owner userOf(TenantNames names, String step, String container) throws StepException {
    ContainerExec.Output ids =
        exec.run(
            names,
            step,
            container,
            "id",
            List.of("sh", "-c", "id -u && id -g"),
            Duration.ofSeconds(10));
    String[] lines = ids.stdout().strip().split("\\s+");
    if (!ids.succeeded() || lines.length != 2) {
      throw new StepException(
          "customer " + names.customerId() + ": cannot tell the user of " + container,
          true,
          "step="
              + step
              + " customer="
              + names.customerId()
              + " output=\""
              + ids.diagnostics()
              + "\"");
    }
    return new Owner(Integer.parseInt(lines[0]), Integer.parseInt(lines[1]));
  }

  /**
   * Copies the plain content of {@code backup} to {@code directory/name} in {@code container}, mode
   * 0600. A backup file that does not open (altered, another customer's, another key) is a failure
   * that no retry mends, and nothing reaches the container.
   */
  public void copyIn(
      TenantNames names,
      String step,
      String container,
      StoredBackup backup,
      String directory,
      String name,
      Owner owner)
      throws StepException {
    String id = names.customerId();
    Path source = backup.path();
    Path tar = null;
    try {
      tar = PlainCopies.create(source.getParent(), PlainCopies.TAR_PREFIX, ".tar");
      writeTar(tar, backup, name, owner);
      Path archive = tar;
      Engine.call(
          id,
          "copy " + name + " into " + container,
          () -> {
            try (InputStream in = Files.newInputStream(archive)) {
              docker
                  .copyArchiveToContainerCmd(container)
                  .withTarInputStream(in)
                  .withRemotePath(directory)
                  .exec();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (BackupFileException e) {
      throw new StepException(
          "customer " + id + ": " + e.getMessage() + "; nothing copied into " + container,
          false,
          "step=" + step + " customer=" + id,
          e);
    } catch (IOException | UncheckedIOException e) {
      throw new StepException(
          "customer "
              + id
              + ": cannot copy "
              + source
              + " into "
              + container
              + ": "
              + e.getMessage(),
          true,
          "step=" + step + " customer=" + id,
          e);
    } finally {
      PlainCopies.delete(tar);
    }
  }

  // Streamed through a file next to the source, so a large backup never sits in memory; the
  // entry's size comes from the encrypted file's size (the format fixes the overhead), and the
  // whole file is decrypted, every segment checked, before anything goes to the engine. The tar
  // file holds the plain content meanwhile: created 0600 in the customer's 0700 backup folder and
  // deleted once copied, as the copy inside the container is.
  private void writeTar(Path tar, StoredBackup backup, String name, Owner owner)
      throws IOException {
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar));
        InputStream in = cipher.open(backup)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      TarArchiveEntry entry = new TarArchiveEntry(name);
      entry.setSize(cipher.plaintextSize(backup));
      entry.setMode(OWNER_ONLY);
      entry.setIds(owner.uid(), owner.gid());
      out.putArchiveEntry(entry);
      in.transferTo(out);
      out.closeArchiveEntry();
    }
  }
}
