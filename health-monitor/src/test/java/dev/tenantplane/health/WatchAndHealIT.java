package dev.tenantplane.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.crypto.EnvelopeSealer;
import dev.tenantplane.common.events.CustomerHealthChanged;
import dev.tenantplane.common.events.CustomerReady;
import dev.tenantplane.common.events.Health;
import dev.tenantplane.common.events.RestartRequested;
import dev.tenantplane.common.testing.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
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
  @Inject EnvelopeSealer sealer;
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
  void stoppedRedisIsReportedRestartedAndHealthyAgain() {
    try (TenantStackDouble stack = TenantStackDouble.forNewCustomer("heal")) {
      bus.publish(stack.routes(sealer));
      bus.awaitCount(CustomerReady.class, stack.customerId, 1);

      stack.stopRedis();
      CustomerHealthChanged down = bus.awaitHealth(stack.customerId, Health.UNHEALTHY);
      assertThat(down.component()).isEqualTo("redis");
      assertThat(down.previous()).isEqualTo(Health.HEALTHY);
      RestartRequested restart = bus.awaitCount(RestartRequested.class, stack.customerId, 1).get(0);
      assertThat(restart.container()).isEqualTo("redis-" + stack.customerId);

      stack.restartRedis();
      bus.awaitHealth(stack.customerId, Health.HEALTHY);
      assertThat(bus.events(CustomerReady.class, stack.customerId)).hasSize(1);
    }
  }

  @Test
  void componentThatNeverRecoversGetsAtMostTheRestartBudget() throws InterruptedException {
    try (TenantStackDouble stack = TenantStackDouble.forNewCustomer("storm")) {
      bus.publish(stack.routes(sealer));
      bus.awaitCount(CustomerReady.class, stack.customerId, 1);

      stack.stopRedis();
      bus.awaitCount(RestartRequested.class, stack.customerId, 2);
      // The budget (2) is spent; several more failing rounds must not request another restart.
      Thread.sleep(Duration.ofSeconds(8).toMillis());
      assertThat(bus.events(RestartRequested.class, stack.customerId))
          .extracting(RestartRequested::restartNumber)
          .containsExactly(1, 2);
    }
  }
}
