package dev.tenantplane.common.events;

/** An event on the platform bus. Every implementation is registered in {@link EventType}. */
public interface LifecycleEvent {
  EventMeta meta();

  default String customerId() {
    return meta().customerId();
  }
}
