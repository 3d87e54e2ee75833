package dev.tenantplane.provisioner.driver;

import dev.tenantplane.common.events.BackupCompleted.TableRows;
import dev.tenantplane.common.events.BackupFile;
import java.util.List;

/**
 * What a backup holds. {@code schemaVersion} is null before the first migration; {@code
 * restoredRows} are the rows each table got when the archive was restored for its check.
 */
public record WrittenBackup(
    BackupFile database, BackupFile redis, String schemaVersion, List<TableRows> restoredRows) {}
