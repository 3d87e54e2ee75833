package dev.tenantplane.gateway.projection;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.ResourcesAllocated;
import dev.tenantplane.common.testing.BusProbe;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.TestInfrastructure;
import dev.tenantplane.gateway.LifecycleScript;
import dev.tenantplane.gateway.TestCustomers;
import dev.tenantplane.gateway.api.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Step inputs (copies of events holding sealed credentials) go once older than the retention, the
 * default 14 days, except a FAILED customer's, which its retry still re-emits.
 */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres,redis"))
class StepInputRetentionIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject StepInputRetention retention;
  @Inject Pool pool;

  private BusProbe bus;
  private LifecycleScript script;

  @BeforeEach
  void openProbe() {
    bus =
        new BusProbe(
            TestInfrastructure.kafka().bootstrapServers(),
            List.of(EventType.CUSTOMER_REQUESTED.topic(), EventType.RESOURCES_ALLOCATED.topic()));
    script = new LifecycleScript(bus);
  }

  @AfterEach
  void closeProbe() {
    bus.close();
  }

  @Test
  void oldStepInputsGoExceptAFailedCustomersWhichItsRetryStillUses() {
    String ready = script.readyCustomer("inputs-ready");
    String failed = TestCustomers.id("inputs-failed");
    LifecycleScript.FailedStart start =
        script.failStartContainers(script.request(failed), "image missing");
    await()
        .atMost(WAIT)
        .until(() -> TestCustomers.fetch(failed).getString("status"), "FAILED"::equals);
    String recent = script.readyCustomer("inputs-recent");
    assertThat(stepInputs(ready)).isPositive();
    assertThat(stepInputs(failed)).isPositive();

    age(ready, Duration.ofDays(15));
    age(failed, Duration.ofDays(15));
    assertThat(retention.prune()).isPositive();

    assertThat(stepInputs(ready)).as("older than the retention").isZero();
    assertThat(stepInputs(recent)).as("within the retention").isPositive();
    assertThat(stepInputs(failed)).as("kept for the retry").isPositive();
    given()
        .auth()
        .oauth2(Tokens.admin())
        .post("/api/v1/customers/" + failed + "/retry")
        .then()
        .statusCode(202);
    ResourcesAllocated again =
        bus
            .await(
                ResourcesAllocated.class,
                events ->
                    events.stream()
                        .filter(e -> e.customerId().equals(failed))
                        .anyMatch(
                            e -> !e.meta().eventId().equals(start.allocated().meta().eventId())),
                WAIT)
            .stream()
            .filter(e -> e.customerId().equals(failed))
            .filter(e -> !e.meta().eventId().equals(start.allocated().meta().eventId()))
            .findFirst()
            .orElseThrow();
    assertThat(again.credentials()).isEqualTo(start.allocated().credentials());
  }

  private long stepInputs(String customer) {
    return pool.preparedQuery("SELECT count(*) FROM step_input WHERE customer_id = $1")
        .execute(Tuple.of(customer))
        .await()
        .atMost(WAIT)
        .iterator()
        .next()
        .getLong(0);
  }

  private void age(String customer, Duration by) {
    pool.preparedQuery(
            "UPDATE step_input SET occurred_at = occurred_at - make_interval(secs => $2)"
                + " WHERE customer_id = $1")
        .execute(Tuple.of(customer, (double) by.toSeconds()))
        .await()
        .atMost(WAIT);
  }
}
