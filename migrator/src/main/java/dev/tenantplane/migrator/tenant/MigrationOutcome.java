package dev.tenantplane.migrator.tenant;

/** Where a tenant database stands after a migration run. */
public record MigrationOutcome(String schemaVersion, int migrationsApplied) {}
