package dev.tenantplane.common.events;

/**
 * Migrate every active customer to the latest schema, at most {@code maxConcurrency} at a time. Its
 * customer id is {@link dev.tenantplane.common.naming.CustomerIds#FLEET}, a reserved id.
 */
public record FleetMigrationRequested(EventMeta meta, int maxConcurrency)
    implements LifecycleEvent {}
