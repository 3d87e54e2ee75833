package dev.tenantplane.provisioner.docker;

import dev.tenantplane.common.events.BackupCompleted.TableRows;
import dev.tenantplane.common.events.BackupFile;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.provisioner.ProvisionerSettings;
import dev.tenantplane.provisioner.driver.WrittenBackup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes one backup of a running stack into a folder: the PostgreSQL database as a custom-format
 * {@code pg_dump} archive ({@value #DATABASE_FILE}) and Redis as an RDB snapshot ({@value
 * #REDIS_FILE}), each checked with the tool that would restore it and described by size and
 * SHA-256: the archive by a restore into a scratch database ({@link RestoreRehearsal}), the
 * snapshot by {@code redis-check-rdb}. A file already there from an earlier attempt is checked
 * again rather than rewritten; one that fails its check is deleted, so the next attempt writes it
 * anew.
 */
@ApplicationScoped
public class StackBackup {
  public static final String DATABASE_FILE = "database.dump";
  public static final String REDIS_FILE = "redis.rdb";

  private final DatabaseBackup database;
  private final RedisSnapshot redis;
  private final BackupCheck check;
  private final RestoreRehearsal rehearsal;
  private final ProvisionerSettings settings;

  public StackBackup(
      DatabaseBackup database,
      RedisSnapshot redis,
      BackupCheck check,
      RestoreRehearsal rehearsal,
      ProvisionerSettings settings) {
    this.rehearsal = rehearsal;
    this.database = database;
    this.redis = redis;
    this.check = check;
    this.settings = settings;
  }

  public WrittenBackup write(TenantNames names, Path dir, String step) throws StepException {
    database.awaitAccepting(names, settings.readinessTimeout(), step);
    // Read before the dump: a version recorded later could belong to a migration the dump missed.
    String schemaVersion = database.schemaVersion(names, step);
    Path databaseFile = dir.resolve(DATABASE_FILE);
    if (!Files.exists(databaseFile)) {
      database.archive(names, databaseFile, settings.backupTimeout(), step);
    }
    List<TableRows> restoredRows =
        checked(databaseFile, () -> rehearsal.rehearse(names, databaseFile, step));
    Path redisFile = dir.resolve(REDIS_FILE);
    if (!Files.exists(redisFile)) {
      redis.write(names, redisFile, settings.backupTimeout(), step);
    }
    checked(
        redisFile,
        () -> {
          check.redisSnapshot(names, redisFile, step);
          return null;
        });
    return new WrittenBackup(
        describe(names, databaseFile, step),
        describe(names, redisFile, step),
        schemaVersion,
        restoredRows);
  }

  @FunctionalInterface
  private interface FileCheck<T> {
    T run() throws StepException;
  }

  private static <T> T checked(Path file, FileCheck<T> fileCheck) throws StepException {
    try {
      return fileCheck.run();
    } catch (StepException e) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // The next attempt checks the same file again and fails the same way.
      }
      throw e;
    }
  }

  private static BackupFile describe(TenantNames names, Path file, String step)
      throws StepException {
    try {
      return new BackupFile(file.toString(), Files.size(file), Sha256.of(file));
    } catch (IOException e) {
      throw new StepException(
          "customer " + names.customerId() + ": cannot read " + file + ": " + e.getMessage(),
          true,
          "step=" + step + " customer=" + names.customerId(),
          e);
    }
  }
}
