package dev.tenantplane.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tenantplane.common.crypto.EnvelopeSealer;
import dev.tenantplane.common.events.CustomerDeprovisionRequested;
import dev.tenantplane.common.events.CustomerReady;
import dev.tenantplane.common.events.EventMeta;
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
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A deprovision request is final for the customer id: routes published just before it and consumed
 * after it start no watch, while other customers are watched as before.
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

      RoutesPublished late = leaving.routes(sealer);
      bus.publish(late);
      await("the late RoutesPublished of " + leaving.customerId + " handled")
          .atMost(WAIT)
          .pollInterval(POLL)
          .until(() -> handled(late.meta().eventId()));
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

  private Duration probeInterval() {
    return DurationConverter.parseDuration(settings.interval());
  }

  private boolean marked(String customerId) {
    return read(() -> DeprovisionedCustomer.isMarked(customerId));
  }

  private boolean handled(UUID eventId) {
    return read(() -> inbox.handled(WATCH_CONSUMER, eventId));
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
