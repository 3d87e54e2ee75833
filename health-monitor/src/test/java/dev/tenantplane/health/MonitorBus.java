package dev.tenantplane.health;

import dev.tenantplane.common.events.CustomerHealthChanged;
import dev.tenantplane.common.events.CustomerReady;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.Health;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.RestartRequested;
import dev.tenantplane.common.testing.BusProbe;
import dev.tenantplane.common.testing.TestInfrastructure;
import dev.tenantplane.kit.TraceHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The bus as the monitor's tests see it: publishes the monitor's input events and reads, per
 * customer, what the monitor emitted (readiness, health changes, restart requests).
 */
final class MonitorBus implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(45);

  private final BusProbe bus =
      new BusProbe(
          TestInfrastructure.kafka().bootstrapServers(),
          List.of(
              EventType.CUSTOMER_READY.topic(),
              EventType.CUSTOMER_HEALTH_CHANGED.topic(),
              EventType.RESTART_REQUESTED.topic()));

  void publish(LifecycleEvent event) {
    bus.publish(event);
  }

  /** Publishes an event as emitted inside the span {@code traceparent} names. */
  void publishTraced(LifecycleEvent event, String traceparent) {
    bus.publish(event, Map.of(TraceHeaders.TRACEPARENT, traceparent));
  }

  /** The {@code traceparent} of the customer's first READY. */
  String readyTraceparent(String customerId) {
    return bus.records(EventType.CUSTOMER_READY).stream()
        .filter(r -> customerId.equals(r.key()))
        .findFirst()
        .map(r -> BusProbe.header(r, TraceHeaders.TRACEPARENT))
        .orElse(null);
  }

  /** Waits until the customer has at least {@code count} events of {@code type}; returns them. */
  <E extends LifecycleEvent> List<E> awaitCount(Class<E> type, String customerId, int count) {
    bus.await(
        type,
        events -> events.stream().filter(e -> e.customerId().equals(customerId)).count() >= count,
        WAIT);
    return events(type, customerId);
  }

  /** Waits for the customer's first report of {@code health}. */
  CustomerHealthChanged awaitHealth(String customerId, Health health) {
    return bus
        .await(
            CustomerHealthChanged.class,
            events ->
                events.stream()
                    .anyMatch(e -> e.customerId().equals(customerId) && e.health() == health),
            WAIT)
        .stream()
        .filter(e -> e.customerId().equals(customerId) && e.health() == health)
        .findFirst()
        .orElseThrow();
  }

  <E extends LifecycleEvent> List<E> events(Class<E> type, String customerId) {
    return bus.events(type).stream().filter(e -> e.customerId().equals(customerId)).toList();
  }

  /** Everything the monitor emitted about the customer so far. */
  List<LifecycleEvent> emittedFor(String customerId) {
    return Stream.of(CustomerReady.class, CustomerHealthChanged.class, RestartRequested.class)
        .flatMap(type -> events(type, customerId).stream())
        .map(LifecycleEvent.class::cast)
        .toList();
  }

  @Override
  public void close() {
    bus.close();
  }
}
