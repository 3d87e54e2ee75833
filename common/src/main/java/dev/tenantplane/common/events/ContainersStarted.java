package dev.tenantplane.common.events;

import java.util.List;

/** The customer's network and containers exist and its PostgreSQL and Redis answer. */
public record ContainersStarted(
    EventMeta meta,
    String plan,
    PortAssignment ports,
    String network,
    List<String> containers,
    SealedEnvelope credentials)
    implements LifecycleEvent {}
