package dev.tenantplane.common.events;

/** The provisioner restarted the named container in answer to a RestartRequested. */
public record ContainerRestarted(EventMeta meta, String container) implements LifecycleEvent {}
