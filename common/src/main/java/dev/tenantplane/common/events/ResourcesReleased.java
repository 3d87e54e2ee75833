package dev.tenantplane.common.events;

/** The customer's ports are back in the pool and its secrets are destroyed. */
public record ResourcesReleased(EventMeta meta) implements LifecycleEvent {}
