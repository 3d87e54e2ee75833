package dev.tenantplane.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tenantplane.common.crypto.EnvelopeSealer;
import dev.tenantplane.common.events.CustomerHealthChanged;
import dev.tenantplane.common.events.CustomerReady;
import dev.tenantplane.common.events.Health;
import dev.tenantplane.common.events.RestartRequested;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.MetricsPage;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A routed customer's real PostgreSQL and Redis, watched, broken and healed, as the bus and the
 * metrics page tell it.
 */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres,redis"))
@QuarkusTestResource(NginxDouble.class)
class WatchAndHealIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

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
      bus.publishTraced(stack.routes(sealer), "00-" + TRACE + "-00f067aa0ba902b7-01");
      bus.awaitCount(CustomerReady.class, stack.customerId, 1);
      assertThat(bus.readyTraceparent(stack.customerId))
          .as("READY is reported in the trace of the routes it waited on")
          .startsWith("00-" + TRACE + "-")
          .doesNotContain("00f067aa0ba902b7");

      stack.stopRedis();
      CustomerHealthChanged down = bus.awaitHealth(stack.customerId, Health.UNHEALTHY);
      assertThat(down.component()).isEqualTo("redis");
      assertThat(down.previous()).isEqualTo(Health.HEALTHY);
      RestartRequested restart = bus.awaitCount(RestartRequested.class, stack.customerId, 1).get(0);
      assertThat(restart.container()).isEqualTo("redis-" + stack.customerId);
      Map<String, String> customer = Map.of("customer", stack.customerId);
      MetricsPage unhealthy =
          await()
              .atMost(WAIT)
              .until(
                  WatchAndHealIT::metrics,
                  page -> page.value("tenantplane_restarts_requested_total", customer) >= 1);
      assertThat(unhealthy.has("tenantplane_customer_health", customer)).isTrue();
      assertThat(unhealthy.value("tenantplane_customer_health", customer)).isZero();

      stack.restartRedis();
      bus.awaitHealth(stack.customerId, Health.HEALTHY);
      assertThat(bus.events(CustomerReady.class, stack.customerId)).hasSize(1);
      MetricsPage healed =
          await()
              .atMost(WAIT)
              .until(
                  WatchAndHealIT::metrics,
                  page -> page.value("tenantplane_customer_health", customer) == 2);
      // Once healthy no restart follows, so the counter and the events can be compared exactly.
      assertThat(healed.value("tenantplane_restarts_requested_total", customer))
          .isEqualTo(bus.events(RestartRequested.class, stack.customerId).size());
    }
  }

  @Test
  void missingWorkerIsReportedAndRestartedAndItsQueueIsInTheMetrics() {
    try (TenantStackDouble stack = TenantStackDouble.forNewCustomer("worker")) {
      stack.reportWorker("alive");
      bus.publish(stack.routes(sealer));
      bus.awaitCount(CustomerReady.class, stack.customerId, 1);
      MetricsPage queue =
          await()
              .atMost(WAIT)
              .until(
                  WatchAndHealIT::metrics,
                  page ->
                      page.has(
                          "tenantplane_customer_jobs",
                          Map.of("customer", stack.customerId, "state", "waiting")));
      assertThat(
              queue.value(
                  "tenantplane_customer_jobs",
                  Map.of("customer", stack.customerId, "state", "waiting")))
          .isEqualTo(3);
      assertThat(
              queue.value(
                  "tenantplane_customer_jobs",
                  Map.of("customer", stack.customerId, "state", "failed")))
          .isEqualTo(2);
      assertThat(
              queue.value(
                  "tenantplane_customer_oldest_waiting_job_seconds",
                  Map.of("customer", stack.customerId)))
          .isEqualTo(4.5);

      stack.reportWorker("missing");
      CustomerHealthChanged down = bus.awaitHealth(stack.customerId, Health.UNHEALTHY);
      assertThat(down.component()).isEqualTo("worker");
      assertThat(down.error()).contains("worker heartbeat missing");
      RestartRequested restart = bus.awaitCount(RestartRequested.class, stack.customerId, 1).get(0);
      assertThat(restart.container()).isEqualTo("worker-" + stack.customerId);

      stack.reportWorker("alive");
      bus.awaitHealth(stack.customerId, Health.HEALTHY);
    }
  }

  private static MetricsPage metrics() {
    return new MetricsPage(given().get("/q/metrics").then().statusCode(200).extract().asString());
  }

  @Test
  void componentThatNeverRecoversGetsAtMostTheRestartBudget() {
    try (TenantStackDouble stack = TenantStackDouble.forNewCustomer("storm")) {
      bus.publish(stack.routes(sealer));
      bus.awaitCount(CustomerReady.class, stack.customerId, 1);

      stack.stopRedis();
      bus.awaitCount(RestartRequested.class, stack.customerId, 2);
      // The budget (2) is spent; several more failing rounds must not request another restart.
      await()
          .pollInSameThread()
          .during(Duration.ofSeconds(8))
          .atMost(Duration.ofSeconds(10))
          .until(() -> bus.events(RestartRequested.class, stack.customerId).size() == 2);
      assertThat(bus.events(RestartRequested.class, stack.customerId))
          .extracting(RestartRequested::restartNumber)
          .containsExactly(1, 2);
    }
  }
}
