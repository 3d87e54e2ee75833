package dev.tenantplane.gateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.FleetMigrationCompleted;
import dev.tenantplane.common.events.FleetMigrationCompleted.CustomerOutcome;
import dev.tenantplane.common.events.FleetMigrationCompleted.Outcome;
import dev.tenantplane.common.naming.CustomerIds;
import dev.tenantplane.common.testing.BusProbe;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres,redis"))
class FleetMigrationApiIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aFleetRunIsRunningUntilTheMigratorReportsItThenShowsEachCustomersOutcome() {
    Tokens.Created operator = Tokens.create("operator");
    JsonPath accepted =
        given()
            .auth()
            .oauth2(operator.token())
            .contentType("application/json")
            .body(Map.of("maxConcurrency", 3))
            .post("/api/v1/fleet/migrations")
            .then()
            .statusCode(202)
            .extract()
            .jsonPath();
    UUID run = UUID.fromString(accepted.getString("eventId"));
    UUID correlation = UUID.fromString(accepted.getString("correlationId"));

    JsonPath running = operator.read("/api/v1/fleet/migrations/" + run);
    assertThat(running.getString("status")).isEqualTo("RUNNING");
    assertThat(running.getString("requestedBy")).isEqualTo(operator.name());
    assertThat(running.getInt("maxConcurrency")).isEqualTo(3);
    assertThat(running.getString("completedAt")).isNull();
    assertThat(running.getList("outcomes")).isEmpty();

    FleetMigrationCompleted report =
        new FleetMigrationCompleted(
            meta(run, correlation),
            "3",
            1,
            List.of("gw-fleet-c"),
            List.of(
                new CustomerOutcome("gw-fleet-b", Outcome.ALREADY_CURRENT, "3", null),
                new CustomerOutcome("gw-fleet-a", Outcome.MIGRATED, "3", null),
                new CustomerOutcome("gw-fleet-c", Outcome.FAILED, null, "connection refused")));
    try (BusProbe bus = new BusProbe(TestInfrastructure.kafka().bootstrapServers(), List.of())) {
      bus.publish(report);
      bus.publish(report);
      // A migrator that restarted before it committed its report sends it again, as a new event.
      bus.publish(
          new FleetMigrationCompleted(
              meta(run, correlation),
              report.schemaVersion(),
              report.migrated(),
              report.failedCustomers(),
              report.outcomes()));
    }

    JsonPath completed =
        await()
            .atMost(WAIT)
            .until(
                () -> operator.read("/api/v1/fleet/migrations/" + run),
                view -> "COMPLETED".equals(view.getString("status")));
    assertThat(completed.getString("schemaVersion")).isEqualTo("3");
    assertThat(completed.getString("completedAt")).isNotNull();
    assertThat(completed.getInt("migrated")).isEqualTo(1);
    assertThat(completed.getInt("alreadyCurrent")).isEqualTo(1);
    assertThat(completed.getInt("failed")).isEqualTo(1);
    assertThat(completed.getList("outcomes.customerId", String.class))
        .containsExactly("gw-fleet-a", "gw-fleet-b", "gw-fleet-c");
    assertThat(completed.getList("outcomes.outcome", String.class))
        .containsExactly("MIGRATED", "ALREADY_CURRENT", "FAILED");
    assertThat(completed.getList("outcomes.reason", String.class))
        .containsExactly(null, null, "connection refused");

    JsonPath list = operator.read("/api/v1/fleet/migrations?size=100");
    assertThat(list.getList("items.id", String.class)).contains(run.toString());
    assertThat(list.getList("items.outcomes")).containsOnlyNulls();
  }

  @Test
  void aReportOfARunThisGatewayNeverRecordedIsListedWithoutARequester() {
    Tokens.Created viewer = Tokens.create("viewer");
    UUID run = UUID.randomUUID();
    try (BusProbe bus = new BusProbe(TestInfrastructure.kafka().bootstrapServers(), List.of())) {
      bus.publish(
          new FleetMigrationCompleted(
              meta(run, UUID.randomUUID()), "2", 0, List.of("gw-fleet-old")));
    }
    JsonPath completed =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    given()
                        .auth()
                        .oauth2(viewer.token())
                        .get("/api/v1/fleet/migrations/" + run)
                        .then()
                        .extract()
                        .jsonPath(),
                view -> "COMPLETED".equals(view.getString("status")));
    assertThat(completed.getString("requestedBy")).isNull();
    assertThat(completed.getString("requestedAt")).isNull();
    assertThat(completed.getList("outcomes.customerId", String.class))
        .containsExactly("gw-fleet-old");
    assertThat(completed.getList("outcomes.outcome", String.class)).containsExactly("FAILED");
  }

  @Test
  void aBadOrUnknownRunIdAndBadPagingAreRefused() {
    Tokens.Created viewer = Tokens.create("viewer");
    assertThat(
            given()
                .auth()
                .oauth2(viewer.token())
                .get("/api/v1/fleet/migrations/not-a-run")
                .then()
                .statusCode(400)
                .extract()
                .jsonPath()
                .getList("errors.field", String.class))
        .containsExactly("id");
    given()
        .auth()
        .oauth2(viewer.token())
        .get("/api/v1/fleet/migrations/" + UUID.randomUUID())
        .then()
        .statusCode(404);
    for (String query : List.of("size=0", "size=101", "page=-1", "size=")) {
      assertThat(
              given()
                  .auth()
                  .oauth2(viewer.token())
                  .urlEncodingEnabled(false)
                  .get("/api/v1/fleet/migrations?" + query)
                  .then()
                  .statusCode(400)
                  .extract()
                  .jsonPath()
                  .getList("errors.field", String.class))
          .as(query)
          .containsExactly(query.substring(0, query.indexOf('=')));
    }
    given()
        .auth()
        .oauth2(viewer.token())
        .contentType("application/json")
        .body("{}")
        .post("/api/v1/fleet/migrations")
        .then()
        .statusCode(403);
  }

  /** The envelope the migrator gives its report: caused by the request, in its correlation. */
  private static EventMeta meta(UUID run, UUID correlation) {
    return EventMeta.within(
        CustomerIds.FLEET, EventMeta.FIRST_GENERATION, correlation, run, Instant.now());
  }
}
