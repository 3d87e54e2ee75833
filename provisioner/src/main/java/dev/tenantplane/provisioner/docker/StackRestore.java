package dev.tenantplane.provisioner.docker;

import dev.tenantplane.common.events.RestoreRequested;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.provisioner.ProvisionerSettings;
import dev.tenantplane.provisioner.backup.BackupCipher;
import dev.tenantplane.provisioner.backup.BackupFileException;
import dev.tenantplane.provisioner.backup.BackupRole;
import dev.tenantplane.provisioner.backup.StoredBackup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Puts a running stack's data back to a backup written by {@link StackBackup}: app and worker are
 * stopped (nothing writes meanwhile), Redis is stopped and its {@code dump.rdb} replaced by the
 * backup's snapshot (loaded when it starts again), and in the database, in one transaction run as
 * the owner inside its container, everything the owner has is dropped and the archive's SQL run, so
 * the database is the backup's and a failed restore leaves it as it was. The backup may be another
 * customer's (a clone): its objects then belong to, and its grants go to, this customer's roles.
 * Both files are checked against the checksums recorded at backup time first (of the files as
 * stored, encrypted), then read through once to prove that they open for the customer the backup
 * was taken from ({@link BackupCipher}); a mismatch or a file that does not open restores nothing.
 * Starting the stack again is the caller's.
 */
@ApplicationScoped
public class StackRestore {
  // The archive becomes SQL first, so a broken archive stops before anything changes; then one
  // transaction empties the schema public, where a tenant's objects live (so what was made after
  // the backup goes too, which pg_restore --clean would keep), recreates it as PostgreSQL 15 makes
  // it, and runs that SQL. The objects are made without their dumped owner (--no-owner: the owner
  // running the script owns them) and the grants (ACL and DEFAULT ACL entries) come last from a
  // file of their own, in which the roles of the customer the backup was taken from are renamed to
  // this customer's: a backup of another customer (a clone) then leaves every object owned by and
  // granted to this customer's roles, never the source's, and a grant naming any other role that
  // does not exist here fails the transaction. The renaming is one pass per line: each name first
  // becomes a newline-marked token no line can hold, so a target name that equals the other source
  // name is never renamed twice. Arguments: owner role, database, the backup's owner and app roles,
  // this customer's app role, archive.
  private static final String RESTORE_SCRIPT =
      String.join(
          "\n",
          "set -euo pipefail",
          "owner=\"$1\" database=\"$2\" from_owner=\"$3\" from_app=\"$4\" app=\"$5\""
              + " archive=\"$6\"",
          "for role in \"$owner\" \"$from_owner\" \"$from_app\" \"$app\"; do",
          "  [[ \"$role\" =~ ^[a-z][a-z0-9_]*$ ]] || { echo \"unexpected role name\" >&2; exit 2; }",
          "done",
          "work=\"$(mktemp -d)\"",
          "trap 'rm -rf \"$work\"' EXIT",
          "pg_restore --no-owner --no-acl --file=\"$work/restore.sql\" \"$archive\"",
          "pg_restore --list \"$archive\" | { grep -E '^[0-9]+; [0-9]+ [0-9]+ (DEFAULT )?ACL '"
              + " || true; } >\"$work/acl.list\"",
          "pg_restore --no-owner --use-list=\"$work/acl.list\" --file=\"$work/acl.sql\""
              + " \"$archive\"",
          "sed -E -i \"s/\\\\b$from_app\\\\b/\\\\n1/g; s/\\\\b$from_owner\\\\b/\\\\n2/g;"
              + " s/\\\\n1/$app/g; s/\\\\n2/$owner/g\" \"$work/acl.sql\"",
          "printf '%s\\n' 'DROP SCHEMA public CASCADE;'"
              + " 'CREATE SCHEMA public AUTHORIZATION pg_database_owner;'"
              + " 'GRANT USAGE ON SCHEMA public TO PUBLIC;'"
              + " \"COMMENT ON SCHEMA public IS 'standard public schema';\" >\"$work/empty.sql\"",
          "psql --no-psqlrc --no-password --quiet --output=/dev/null -v ON_ERROR_STOP=1"
              + " --single-transaction --username=\"$owner\" --dbname=\"$database\""
              + " -f \"$work/empty.sql\" -f \"$work/restore.sql\" -f \"$work/acl.sql\"");

  private final StackOperations operations;
  private final ContainerFiles files;
  private final ArchiveScript archiveScript;
  private final DatabaseBackup database;
  private final ProvisionerSettings settings;
  private final BackupCipher cipher;

  public StackRestore(
      StackOperations operations,
      ContainerFiles files,
      ArchiveScript archiveScript,
      DatabaseBackup database,
      ProvisionerSettings settings,
      BackupCipher cipher) {
    this.cipher = cipher;
    this.operations = operations;
    this.files = files;
    this.archiveScript = archiveScript;
    this.database = database;
    this.settings = settings;
  }

  /**
   * Restores both files of {@code request}'s backup from {@code dir} into {@code names}' stack; the
   * schema version now. The backup may be another customer's ({@link
   * RestoreRequested#backupOwner()}): its roles' grants become this customer's.
   */
  public String restore(TenantNames names, Path dir, RestoreRequested request, String step)
      throws StepException {
    TenantNames from = new TenantNames(request.backupOwner());
    // Opened with the id of the customer they were written for, which a clone's target is not.
    StoredBackup databaseFile =
        new StoredBackup(
            dir.resolve(StackBackup.DATABASE_FILE), from.customerId(), BackupRole.DATABASE_ARCHIVE);
    StoredBackup redisFile =
        new StoredBackup(
            dir.resolve(StackBackup.REDIS_FILE), from.customerId(), BackupRole.REDIS_SNAPSHOT);
    // A retry may find Redis stopped by the attempt before: its user is read from it running.
    for (String container : List.of(names.databaseContainer(), names.redisContainer())) {
      if (!operations.isRunning(container)) {
        operations.start(names.customerId(), container);
      }
    }
    requireIntact(names, databaseFile, request.databaseSha256(), step);
    requireIntact(names, redisFile, request.redisSha256(), step);
    database.awaitAccepting(names, settings.readinessTimeout(), step);
    String live = database.schemaVersion(names, step);
    if (SchemaVersions.newer(request.schemaVersion(), live)) {
      throw new StepException(
          "customer "
              + names.customerId()
              + ": backup "
              + request.backupId()
              + " is at schema version "
              + request.schemaVersion()
              + ", newer than the database's "
              + (live == null ? "(none)" : live)
              + "; nothing restored",
          false,
          "step=" + step + " customer=" + names.customerId());
    }
    ContainerFiles.Owner redisUser = files.userOf(names, step, names.redisContainer());

    operations.stop(
        names, List.of(names.workerContainer(), names.appContainer(), names.redisContainer()));
    files.copyIn(names, step, names.redisContainer(), redisFile, "/data", "dump.rdb", redisUser);
    ContainerExec.Output restored =
        archiveScript.run(
            names,
            step,
            databaseFile,
            "restore",
            RESTORE_SCRIPT,
            List.of(
                names.ownerRole(),
                names.database(),
                from.ownerRole(),
                from.appRole(),
                names.appRole()));
    if (!restored.succeeded()) {
      throw new StepException(
          "customer "
              + names.customerId()
              + ": pg_restore failed with exit code "
              + restored.exit()
              + "; the database is as it was",
          true,
          "step="
              + step
              + " customer="
              + names.customerId()
              + " stderr=\""
              + restored.diagnostics()
              + "\"");
    }
    return database.schemaVersion(names, step);
  }

  private void requireIntact(TenantNames names, StoredBackup backup, String expected, String step)
      throws StepException {
    String id = names.customerId();
    Path file = backup.path();
    if (!Files.isRegularFile(file)) {
      throw new StepException(
          "customer " + id + ": backup file " + file + " is missing; nothing restored",
          false,
          "step=" + step + " customer=" + id);
    }
    try {
      String actual = Sha256.of(file);
      if (!actual.equals(expected)) {
        throw new StepException(
            "customer "
                + id
                + ": backup file "
                + file.getFileName()
                + " does not match the SHA-256 recorded when it was written; nothing restored",
            false,
            "step=" + step + " customer=" + id + " expected=" + expected + " actual=" + actual);
      }
      // Read through once: a file that does not open fails here, before anything is stopped.
      cipher.verify(backup);
    } catch (BackupFileException e) {
      throw new StepException(
          "customer " + id + ": " + e.getMessage() + "; nothing restored",
          false,
          "step=" + step + " customer=" + id,
          e);
    } catch (IOException e) {
      throw new StepException(
          "customer " + id + ": cannot read " + file + ": " + e.getMessage(),
          true,
          "step=" + step + " customer=" + id,
          e);
    }
  }
}
