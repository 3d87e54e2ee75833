package dev.tenantplane.common.events;

/** Ports reserved and credentials generated for a customer; the credentials travel sealed. */
public record ResourcesAllocated(
    EventMeta meta, String name, String plan, PortAssignment ports, SealedEnvelope credentials)
    implements LifecycleEvent {}
