package dev.tenantplane.provisioner.stack;

import com.sun.security.auth.module.UnixSystem;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.provisioner.ProvisionerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

/**
 * A customer's folder {@code <customers-root>/<id>/}: {@code .env} (mode 0600), {@code
 * docker-compose.yml}, {@code CUSTOMER_MANIFEST.md}, {@code secrets/} (one file per secret, 0440,
 * which the containers mount; see {@link StackPlan.SecretFiles}) and {@code backups/}. The folder
 * is 0700, since it holds secrets. Files are replaced atomically, so a crash never leaves half a
 * file.
 */
@ApplicationScoped
public class CustomerFolder {
  public static final String ENV_FILE = ".env";
  public static final String COMPOSE_FILE = "docker-compose.yml";
  public static final String MANIFEST_FILE = "CUSTOMER_MANIFEST.md";
  public static final String BACKUPS = "backups";
  public static final String SECRETS = "secrets";

  static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> READABLE_FILE =
      PosixFilePermissions.fromString("rw-r--r--");
  static final Set<PosixFilePermission> SECRET_FILE = PosixFilePermissions.fromString("r--r-----");

  private final Path root;
  // The group of this process: the one group an unprivileged process can always give its files.
  private final int group = (int) new UnixSystem().getGid();

  @Inject
  public CustomerFolder(ProvisionerSettings settings) {
    this(settings.customersRoot());
  }

  public CustomerFolder(Path root) {
    this.root = root;
  }

  public Path of(TenantNames names) {
    return root.resolve(names.directory());
  }

  /** Where the customer's secret files are written, and the group they get. */
  public StackPlan.SecretFiles secretFiles(TenantNames names) {
    return new StackPlan.SecretFiles(
        of(names).resolve(SECRETS).toAbsolutePath().normalize(), group);
  }

  /** Writes the three files and the secret files of the stack; returns the folder. */
  public Path write(StackPlan stack, EnvFile env) throws IOException {
    Path dir = ownerOnlyDirectory(of(stack.names()));
    replace(dir.resolve(ENV_FILE), env.render(), OWNER_ONLY_FILE);
    Path secrets = ownerOnlyDirectory(stack.secretFiles().directory());
    for (String variable : EnvFile.SECRET_VARIABLES) {
      // No newline: the value is the whole file, as every reader of /run/secrets takes it.
      replace(
          secrets.resolve(variable),
          env.get(variable),
          SECRET_FILE,
          OptionalInt.of(stack.secretFiles().group()));
    }
    replace(dir.resolve(COMPOSE_FILE), ComposeFileRenderer.render(stack), READABLE_FILE);
    replace(dir.resolve(MANIFEST_FILE), ManifestRenderer.render(stack), READABLE_FILE);
    return dir;
  }

  /** The backups folder (0700), created when missing. */
  public Path backups(TenantNames names) throws IOException {
    ownerOnlyDirectory(of(names));
    return ownerOnlyDirectory(of(names).resolve(BACKUPS));
  }

  /** The folder of one backup (0700) under the backups folder, created when missing. */
  public Path backup(TenantNames names, UUID backupId) throws IOException {
    return ownerOnlyDirectory(backups(names).resolve(backupId.toString()));
  }

  /** Where backup {@code backupId} is (or would be), without creating anything. */
  public Path existingBackup(TenantNames names, UUID backupId) {
    return of(names).resolve(BACKUPS).resolve(backupId.toString());
  }

  /**
   * Deletes one backup's folder with the files in it; nothing when it is already gone. A backup
   * folder holds files only, so anything else in it is an error rather than something to follow.
   */
  public void deleteBackup(TenantNames names, UUID backupId) throws IOException {
    Path dir = existingBackup(names, backupId);
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var entries = Files.list(dir)) {
      for (Path file : entries.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(dir);
  }

  /**
   * Deletes the generated files, the secrets among them; backups stay. The folder goes too when
   * nothing is left in it.
   */
  public void removeGeneratedFiles(TenantNames names) throws IOException {
    Path dir = of(names);
    for (String file : List.of(ENV_FILE, COMPOSE_FILE, MANIFEST_FILE)) {
      Files.deleteIfExists(dir.resolve(file));
    }
    Path secrets = dir.resolve(SECRETS);
    for (String variable : EnvFile.SECRET_VARIABLES) {
      Files.deleteIfExists(secrets.resolve(variable));
    }
    Files.deleteIfExists(secrets);
    if (Files.isDirectory(dir)) {
      try (var entries = Files.list(dir)) {
        if (entries.findAny().isEmpty()) {
          Files.delete(dir);
        }
      }
    }
  }

  private static Path ownerOnlyDirectory(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
    return dir;
  }

  static void replace(Path target, String text, Set<PosixFilePermission> mode) throws IOException {
    replace(target, text, mode, OptionalInt.empty());
  }

  /**
   * Writes through a temporary file created owner-only, given its final mode and group (set
   * explicitly: a set-group-id folder would otherwise choose it), then renames it into place.
   */
  static void replace(Path target, String text, Set<PosixFilePermission> mode, OptionalInt group)
      throws IOException {
    Path tmp =
        Files.createTempFile(
            target.getParent(),
            "." + target.getFileName(),
            ".tmp",
            PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      if (group.isPresent()) {
        Files.setAttribute(tmp, "unix:gid", group.getAsInt());
      }
      Files.setPosixFilePermissions(tmp, mode);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
