package dev.tenantplane.common.events;

/** nginx no longer routes to the customer. */
public record RoutesWithdrawn(EventMeta meta, boolean purge) implements LifecycleEvent {}
