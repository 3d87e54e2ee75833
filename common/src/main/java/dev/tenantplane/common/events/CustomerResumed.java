package dev.tenantplane.common.events;

/** A suspended customer's containers run again; routes and health follow. */
public record CustomerResumed(EventMeta meta) implements LifecycleEvent {}
