package dev.tenantplane.common.events;

/**
 * A step failed. {@code retryable} says whether another attempt may succeed; {@code detail} carries
 * diagnostics such as a container's exit code and log tail (never a secret).
 */
public record StepFailed(
    EventMeta meta, Step step, int attempt, String reason, boolean retryable, String detail)
    implements LifecycleEvent {}
