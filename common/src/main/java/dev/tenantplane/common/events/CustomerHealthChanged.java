package dev.tenantplane.common.events;

/** A health transition; {@code component} and {@code error} name what failed, if anything. */
public record CustomerHealthChanged(
    EventMeta meta, Health health, Health previous, String component, String error)
    implements LifecycleEvent {}
