package dev.tenantplane.nginx;

import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.RoutesPublished;
import dev.tenantplane.common.events.RoutesWithdrawn;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.common.testing.BusProbe;
import dev.tenantplane.common.testing.TestInfrastructure;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * The bus as the route tests see it: publishes their input and waits for what the service emits
 * (RoutesPublished, RoutesWithdrawn, StepFailed) in answer to one event.
 */
final class RouteBus implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final Duration POLL = Duration.ofMillis(50);

  private final BusProbe probe =
      new BusProbe(
          TestInfrastructure.kafka().bootstrapServers(),
          List.of(
              EventType.ROUTES_PUBLISHED.topic(),
              EventType.ROUTES_WITHDRAWN.topic(),
              EventType.STEP_FAILED.topic()));

  void publish(LifecycleEvent event) {
    probe.publish(event);
  }

  <E extends LifecycleEvent> List<E> await(
      Class<E> type, Predicate<List<E>> condition, Duration timeout) {
    return probe.await(type, condition, timeout);
  }

  RoutesPublished awaitPublished(LifecycleEvent cause) {
    return awaitCausedBy(RoutesPublished.class, cause);
  }

  RoutesWithdrawn awaitWithdrawn(LifecycleEvent cause) {
    return awaitCausedBy(RoutesWithdrawn.class, cause);
  }

  StepFailed awaitFailure(LifecycleEvent cause) {
    return awaitCausedBy(StepFailed.class, cause);
  }

  /** Every event of {@code type} seen so far that {@code cause} caused. */
  <E extends LifecycleEvent> List<E> causedBy(Class<E> type, LifecycleEvent cause) {
    return probe.events(type).stream().filter(e -> isCausedBy(e, cause)).toList();
  }

  private <E extends LifecycleEvent> E awaitCausedBy(Class<E> type, LifecycleEvent cause) {
    return probe
        .await(type, events -> events.stream().anyMatch(e -> isCausedBy(e, cause)), WAIT)
        .stream()
        .filter(e -> isCausedBy(e, cause))
        .findFirst()
        .orElseThrow();
  }

  private static boolean isCausedBy(LifecycleEvent event, LifecycleEvent cause) {
    return cause.meta().eventId().equals(event.meta().causationId());
  }

  @Override
  public void close() {
    probe.close();
  }
}
