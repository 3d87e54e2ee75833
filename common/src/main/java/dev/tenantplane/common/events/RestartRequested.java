package dev.tenantplane.common.events;

/** Restart one container of a stack that stayed unhealthy; {@code restartNumber} counts them. */
public record RestartRequested(
    EventMeta meta, String container, String component, String reason, int restartNumber)
    implements LifecycleEvent {}
