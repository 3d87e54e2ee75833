package dev.tenantplane.common.events;

/** First all-healthy probe after routing; {@code millisFromRequest} measures the whole run. */
public record CustomerReady(EventMeta meta, long millisFromRequest) implements LifecycleEvent {}
