package dev.tenantplane.common.events;

/** The tenant database is at {@code schemaVersion} with Row-Level Security on. */
public record DatabaseMigrated(
    EventMeta meta, String schemaVersion, PortAssignment ports, SealedEnvelope credentials)
    implements LifecycleEvent {}
