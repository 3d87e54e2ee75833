package dev.tenantplane.gateway.api;

import dev.tenantplane.common.events.LifecycleEvent;

/** The answer to an accepted command: what was asked, and the ids to follow it on the bus. */
public record Accepted(String id, String status, String eventId, String correlationId) {
  static Accepted of(LifecycleEvent event, String status) {
    return new Accepted(
        event.customerId(),
        status,
        event.meta().eventId().toString(),
        event.meta().correlationId().toString());
  }
}
