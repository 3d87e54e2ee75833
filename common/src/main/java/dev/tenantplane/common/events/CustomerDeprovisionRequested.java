package dev.tenantplane.common.events;

/** Take the customer's stack down; with {@code purge} its data is backed up then removed. */
public record CustomerDeprovisionRequested(EventMeta meta, boolean purge)
    implements LifecycleEvent {}
