package dev.tenantplane.common.events;

/**
 * The customer's containers and network are gone; with purge its volumes too, after a backup
 * written to {@code backupFile} (null without purge).
 */
public record ContainersRemoved(EventMeta meta, boolean purge, String backupFile)
    implements LifecycleEvent {}
