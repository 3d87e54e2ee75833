package dev.tenantplane.common.events;

/** Start a suspended customer's containers again. */
public record CustomerResumeRequested(EventMeta meta) implements LifecycleEvent {}
