package dev.tenantplane.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.crypto.EnvelopeSealer;
import dev.tenantplane.common.crypto.TenantSecrets;
import dev.tenantplane.common.events.CustomerHealthChanged;
import dev.tenantplane.common.events.CustomerReady;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.Health;
import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.events.RestartRequested;
import dev.tenantplane.common.events.RoutesPublished;
import dev.tenantplane.common.testing.BusProbe;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A routed customer's real PostgreSQL and Redis, watched, broken and healed. */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres,redis"))
@QuarkusTestResource(NginxDouble.class)
class WatchAndHealIT {
  private static final Duration WAIT = Duration.ofSeconds(45);

  @Inject EnvelopeSealer sealer;
  private BusProbe bus;

  @BeforeEach
  void openProbe() {
    bus =
        new BusProbe(
            TestInfrastructure.kafka().bootstrapServers(),
            List.of(
                EventType.CUSTOMER_READY.topic(),
                EventType.CUSTOMER_HEALTH_CHANGED.topic(),
                EventType.RESTART_REQUESTED.topic()));
  }

  @AfterEach
  void closeProbe() {
    bus.close();
  }

  @Test
  void stoppedRedisIsReportedRestartedAndHealthyAgain() {
    try (TenantStackDouble stack = newStack("heal")) {
      bus.publish(routed(stack));
      awaitCount(CustomerReady.class, stack.customerId, 1);

      stack.stopRedis();
      CustomerHealthChanged down = awaitHealth(stack.customerId, Health.UNHEALTHY);
      assertThat(down.component()).isEqualTo("redis");
      assertThat(down.previous()).isEqualTo(Health.HEALTHY);
      RestartRequested restart = awaitCount(RestartRequested.class, stack.customerId, 1).get(0);
      assertThat(restart.container()).isEqualTo("redis-" + stack.customerId);

      stack.restartRedis();
      awaitHealth(stack.customerId, Health.HEALTHY);
      assertThat(events(CustomerReady.class, stack.customerId)).hasSize(1);
    }
  }

  @Test
  void componentThatNeverRecoversGetsAtMostTheRestartBudget() throws InterruptedException {
    try (TenantStackDouble stack = newStack("storm")) {
      bus.publish(routed(stack));
      awaitCount(CustomerReady.class, stack.customerId, 1);

      stack.stopRedis();
      awaitCount(RestartRequested.class, stack.customerId, 2);
      // The budget (2) is spent; several more failing rounds must not request another restart.
      Thread.sleep(Duration.ofSeconds(8).toMillis());
      assertThat(events(RestartRequested.class, stack.customerId))
          .extracting(RestartRequested::restartNumber)
          .containsExactly(1, 2);
    }
  }

  private TenantStackDouble newStack(String prefix) {
    String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    return new TenantStackDouble(id, TenantSecrets.generate(new SecureRandom()));
  }

  private RoutesPublished routed(TenantStackDouble stack) {
    return new RoutesPublished(
        EventMeta.start(stack.customerId, Clock.systemUTC()),
        stack.customerId + ".localhost",
        "/" + stack.customerId + "/",
        new PortAssignment(stack.appPort(), stack.databasePort(), stack.redisPort()),
        stack.secrets.seal(stack.customerId, sealer));
  }

  private CustomerHealthChanged awaitHealth(String customerId, Health health) {
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

  private <E extends dev.tenantplane.common.events.LifecycleEvent> List<E> awaitCount(
      Class<E> type, String customerId, int count) {
    bus.await(
        type,
        events -> events.stream().filter(e -> e.customerId().equals(customerId)).count() >= count,
        WAIT);
    return events(type, customerId);
  }

  private <E extends dev.tenantplane.common.events.LifecycleEvent> List<E> events(
      Class<E> type, String customerId) {
    return bus.events(type).stream().filter(e -> e.customerId().equals(customerId)).toList();
  }
}
