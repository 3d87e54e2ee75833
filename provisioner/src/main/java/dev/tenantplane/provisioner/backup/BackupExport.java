package dev.tenantplane.provisioner.backup;

import dev.tenantplane.common.crypto.PlatformKey;
import dev.tenantplane.provisioner.docker.Sha256;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The operator's way to the plain content of a backup file: writes it, decrypted with the platform
 * key, to standard output. It runs where the key is, inside the provisioner's container, as {@code
 * deploy/tenantplane export-backup} runs it ({@code docker exec}); nothing else on the host can
 * open a backup file.
 *
 * <pre>
 * java -cp '/app/quarkus-app/app/*:/app/quarkus-app/lib/main/*' \
 *   dev.tenantplane.provisioner.backup.BackupExport KEY_FILE CUSTOMER ROLE FILE [SHA256]
 * </pre>
 *
 * ROLE is {@code database-archive}, {@code redis-snapshot} or {@code sql-dump}; with SHA256 (as the
 * backup's record lists it) the stored file is checked against it first. Exit codes: 0 written, 1
 * the file does not open or cannot be read (nothing, or a cut-off stream, written), 2 wrong
 * arguments. A plain file from before backups were encrypted is written as it is.
 */
public final class BackupExport {
  private BackupExport() {}

  public static void main(String[] args) {
    PrintStream err = System.err;
    int exit;
    try (OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out))) {
      exit = run(args, out, err);
    } catch (IOException e) {
      err.println("export-backup: cannot write the output: " + e.getMessage());
      exit = 1;
    }
    System.exit(exit);
  }

  /** The exit code; the plain content goes to {@code out}, messages to {@code err}. */
  static int run(String[] args, OutputStream out, PrintStream err) {
    if (args.length != 4 && args.length != 5) {
      err.println("usage: BackupExport KEY_FILE CUSTOMER ROLE FILE [SHA256]");
      return 2;
    }
    Optional<BackupRole> role =
        Arrays.stream(BackupRole.values()).filter(r -> r.label().equals(args[2])).findFirst();
    if (role.isEmpty()) {
      err.println("export-backup: unknown role '" + args[2] + "'");
      return 2;
    }
    Path file = Path.of(args[3]);
    try {
      if (!Files.isRegularFile(file)) {
        err.println("export-backup: no backup file " + file);
        return 1;
      }
      if (args.length == 5 && !Sha256.of(file).equals(args[4])) {
        err.println(
            "export-backup: "
                + file.getFileName()
                + " does not match the SHA-256 recorded when it was written");
        return 1;
      }
      BackupCipher cipher = new BackupCipher(PlatformKey.fromFile(Path.of(args[0])));
      try (InputStream in = cipher.open(new StoredBackup(file, args[1], role.get()))) {
        in.transferTo(out);
      }
      out.flush();
      return 0;
    } catch (IOException | IllegalArgumentException e) {
      err.println("export-backup: " + e.getMessage());
      return 1;
    }
  }
}
