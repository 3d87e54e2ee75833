package dev.tenantplane.common.events;

import java.util.List;

/** A fleet migration finished: how many customers were migrated and which ones failed. */
public record FleetMigrationCompleted(
    EventMeta meta, String schemaVersion, int migrated, List<String> failedCustomers)
    implements LifecycleEvent {}
