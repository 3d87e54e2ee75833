package dev.tenantplane.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tenantplane.common.crypto.EnvelopeSealer;
import dev.tenantplane.common.events.CustomerDeprovisionRequested;
import dev.tenantplane.common.events.CustomerReady;
import dev.tenantplane.common.events.CustomerSuspendRequested;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.RoutesPublished;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.kit.Inbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A deprovision request is final for the generation of the customer id it names: routes of that
 * life published just before it and consumed after it start no watch, while other customers are
 * watched as before. A later generation of the id (the id used again) is watched and reported ready
 * in its own generation, until it is deprovisioned in turn.
 */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres,redis"))
@QuarkusTestResource(NginxDouble.class)
class DeprovisionedCustomerIsNeverWatchedIT {
  private static final Duration WAIT = Duration.ofSeconds(45);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final String WATCH_CONSUMER = "health-monitor.watch";

  /** Probe rounds to wait for a wrongly started watch to show up on the bus. */
  private static final int SETTLE_ROUNDS = 3;

  @Inject EnvelopeSealer sealer;
  @Inject Inbox inbox;
  @Inject HealthSettings settings;
  private MonitorBus bus;

  @BeforeEach
  void openBus() {
    bus = new MonitorBus();
  }

  @AfterEach
  void closeBus() {
    bus.close();
  }

  @Test
  void routesConsumedAfterTheDeprovisionRequestStartNoWatchWhileOthersAreStillWatched() {
    try (TenantStackDouble leaving = TenantStackDouble.forNewCustomer("tomb-hm-gone");
        TenantStackDouble staying = TenantStackDouble.forNewCustomer("tomb-hm-kept")) {
      bus.publish(
          new CustomerDeprovisionRequested(
              EventMeta.start(leaving.customerId, Clock.systemUTC()), false));
      await("the deprovision of " + leaving.customerId + " recorded without a watch row")
          .atMost(WAIT)
          .pollInterval(POLL)
          .until(() -> marked(leaving.customerId));

      handled(WATCH_CONSUMER, leaving.routes(sealer));
      assertThat(watchActive(leaving.customerId)).isFalse();

      bus.publish(staying.routes(sealer));
      bus.awaitCount(CustomerReady.class, staying.customerId, 1);
      assertThat(watchActive(staying.customerId)).isTrue();

      // The leaving stack is healthy, so a watch started by mistake would report it ready.
      Duration settle = probeInterval().multipliedBy(SETTLE_ROUNDS);
      await("no watch of " + leaving.customerId + " for " + SETTLE_ROUNDS + " probe rounds")
          .during(settle)
          .atMost(settle.plus(WAIT))
          .pollInterval(POLL)
          .untilAsserted(
              () -> {
                assertThat(bus.emittedFor(leaving.customerId)).isEmpty();
                assertThat(watchActive(leaving.customerId)).isFalse();
              });
    }
  }

  @Test
  void aLaterGenerationIsWatchedAndReadyUntilItIsDeprovisionedInTurn() {
    try (TenantStackDouble stack = TenantStackDouble.forNewCustomer("tomb-hm-again")) {
      String id = stack.customerId;
      RoutesPublished first = stack.routes(sealer);
      bus.publish(first);
      bus.awaitCount(CustomerReady.class, id, 1);
      deprovision(first);

      // The first life's routes, late: no watch.
      RoutesPublished late = stack.routes(sealer);
      handled(WATCH_CONSUMER, late);
      assertThat(watchGeneration(id)).isZero();

      RoutesPublished second = stack.routes(sealer, 2);
      bus.publish(second);
      assertThat(bus.awaitCount(CustomerReady.class, id, 2))
          .extracting(ready -> ready.meta().generation())
          .containsExactly(1, 2);
      assertThat(watchGeneration(id)).isEqualTo(2);

      // More of the first life's events, late: the second life's watch goes on.
      handled(
          "health-monitor.unwatch-suspended",
          new CustomerSuspendRequested(first.meta().next(Clock.systemUTC())));
      handled(
          "health-monitor.unwatch-deprovisioned",
          new CustomerDeprovisionRequested(first.meta().next(Clock.systemUTC()), true));
      assertThat(watchActive(id)).isTrue();
      assertThat(watchGeneration(id)).isEqualTo(2);
      assertThat(deprovisionedGeneration(id)).isEqualTo(1);

      deprovision(second);
      handled(WATCH_CONSUMER, stack.routes(sealer, 2));
      assertThat(watchGeneration(id)).isZero();
      // The stack is healthy: a watch revived by mistake would report it ready a third time.
      Duration settle = probeInterval().multipliedBy(SETTLE_ROUNDS);
      await("no watch of " + id + " for " + SETTLE_ROUNDS + " probe rounds")
          .during(settle)
          .atMost(settle.plus(WAIT))
          .pollInterval(POLL)
          .untilAsserted(() -> assertThat(bus.emittedFor(id)).hasSize(2));
    }
  }

  /** Deprovisions the run's generation and waits until it is recorded and its watch is gone. */
  private void deprovision(RoutesPublished run) {
    bus.publish(new CustomerDeprovisionRequested(run.meta().next(Clock.systemUTC()), false));
    int generation = run.meta().generation();
    await("the deprovision of generation " + generation + " of " + run.customerId() + " recorded")
        .atMost(WAIT)
        .pollInterval(POLL)
        .until(
            () ->
                deprovisionedGeneration(run.customerId()) == generation
                    && watchGeneration(run.customerId()) == 0);
  }

  /** Publishes the event and waits until {@code consumer} recorded it as handled. */
  private void handled(String consumer, LifecycleEvent event) {
    bus.publish(event);
    await(consumer + " to handle " + event.meta().eventId())
        .atMost(WAIT)
        .pollInterval(POLL)
        .until(() -> read(() -> inbox.handled(consumer, event.meta().eventId())));
  }

  private Duration probeInterval() {
    return DurationConverter.parseDuration(settings.interval());
  }

  private boolean marked(String customerId) {
    return deprovisionedGeneration(customerId) > 0;
  }

  private int deprovisionedGeneration(String customerId) {
    return read(() -> DeprovisionedCustomer.generation(customerId));
  }

  /** The generation of the customer's watch row, 0 when it has none. */
  private int watchGeneration(String customerId) {
    return read(() -> WatchedCustomer.generation(customerId));
  }

  /** Whether the monitor would probe the customer: a watch row exists and is active. */
  private boolean watchActive(String customerId) {
    return read(
        () ->
            WatchedCustomer.<WatchedCustomer>findById(customerId)
                .map(watched -> watched != null && watched.active));
  }

  private static <T> T read(Supplier<Uni<T>> query) {
    try {
      return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(query));
    } catch (Throwable e) {
      throw new IllegalStateException("reading the monitor's tables failed", e);
    }
  }
}
