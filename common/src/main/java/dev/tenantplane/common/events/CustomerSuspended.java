package dev.tenantplane.common.events;

/** The customer's containers are stopped; its data, ports and secrets are kept. */
public record CustomerSuspended(EventMeta meta) implements LifecycleEvent {}
