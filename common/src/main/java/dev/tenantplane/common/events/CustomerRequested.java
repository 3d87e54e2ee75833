package dev.tenantplane.common.events;

/**
 * An operator asked for a new customer stack. {@code requestedPort} is the app port asked for with
 * {@code --port}, or null to take the next free offset.
 */
public record CustomerRequested(EventMeta meta, String name, String plan, Integer requestedPort)
    implements LifecycleEvent {}
