package dev.tenantplane.provisioner.docker;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;

/**
 * The plain copies of a backup file that exist while it is copied into a container (a tar file,
 * {@value #TAR_PREFIX}…) or checked ({@value #CHECK_PREFIX}…): created 0600 next to the encrypted
 * file, in the customer's 0700 backup folder, and deleted by their user once done. One left behind
 * by an attempt that died (a killed provisioner) is deleted by the next one made in that folder,
 * once it is older than {@link #STALE_AFTER}: an attempt still running is never that old (a copy
 * streams at disk speed).
 */
final class PlainCopies {
  static final String TAR_PREFIX = ".copy-";
  static final String CHECK_PREFIX = ".check-";
  static final Duration STALE_AFTER = Duration.ofHours(1);

  private PlainCopies() {}

  /** A new empty file, 0600, in {@code dir}, after the stale copies there are deleted. */
  static Path create(Path dir, String prefix, String suffix) throws IOException {
    removeStale(dir, Instant.now());
    return Files.createTempFile(
        dir,
        prefix,
        suffix,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
  }

  /**
   * Deletes {@code copy}, if there is one; a failure leaves it for the next copy in its folder to
   * delete once stale.
   */
  static void delete(Path copy) {
    if (copy == null) {
      return;
    }
    try {
      Files.deleteIfExists(copy);
    } catch (IOException ignored) {
      // Deleted once stale, by the next copy made in the folder.
    }
  }

  /**
   * Deletes the copies in {@code dir} last written before {@code now} less {@link #STALE_AFTER}.
   */
  static void removeStale(Path dir, Instant now) {
    Instant before = now.minus(STALE_AFTER);
    try (DirectoryStream<Path> copies =
        Files.newDirectoryStream(dir, "{" + TAR_PREFIX + "*.tar," + CHECK_PREFIX + "*.rdb}")) {
      for (Path copy : copies) {
        try {
          if (Files.getLastModifiedTime(copy).toInstant().isBefore(before)) {
            Files.deleteIfExists(copy);
          }
        } catch (IOException ignored) {
          // Gone meanwhile, or not deletable now: the next copy tries again.
        }
      }
    } catch (IOException ignored) {
      // The folder cannot be listed: the copy about to be made fails on its own if it matters.
    }
  }
}
