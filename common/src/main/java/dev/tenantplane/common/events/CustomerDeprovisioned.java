package dev.tenantplane.common.events;

/** Nothing labelled for the customer remains. */
public record CustomerDeprovisioned(EventMeta meta) implements LifecycleEvent {}
