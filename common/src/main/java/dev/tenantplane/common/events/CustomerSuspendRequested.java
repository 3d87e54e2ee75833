package dev.tenantplane.common.events;

/** Stop serving the customer and stop its containers, keeping all data. */
public record CustomerSuspendRequested(EventMeta meta) implements LifecycleEvent {}
