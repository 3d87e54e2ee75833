package dev.tenantplane.provisioner.backup;

import java.nio.file.Path;

/**
 * A backup file as the platform stored it: its path, the customer it was written for (whose id is
 * bound to its encryption; for a clone, the source customer, not the one restored into) and what it
 * holds.
 */
public record StoredBackup(Path path, String customerId, BackupRole role) {}
