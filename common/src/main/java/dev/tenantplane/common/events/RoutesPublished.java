package dev.tenantplane.common.events;

/** nginx serves the customer at {@code host} and {@code path}, and the reload was confirmed. */
public record RoutesPublished(
    EventMeta meta, String host, String path, PortAssignment ports, SealedEnvelope credentials)
    implements LifecycleEvent {}
