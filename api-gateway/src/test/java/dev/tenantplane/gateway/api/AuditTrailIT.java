package dev.tenantplane.gateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tenantplane.common.events.CustomerRequested;
import dev.tenantplane.common.events.CustomerSuspended;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.common.testing.BusProbe;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.TestInfrastructure;
import dev.tenantplane.gateway.TestCustomers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres,redis"))
class AuditTrailIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Clock CLOCK = Clock.systemUTC();

  @Inject Pool pool;

  /** One audit row as the test reads it. */
  record AuditRow(String actor, String action, String customerId, String eventId, Instant at) {}

  @Test
  void everyWriteIsAuditedWithTheNameOfTheTokenThatMadeItNeverTheToken() {
    // An admin's: it writes like an operator and also makes and revokes tokens.
    Tokens.Created auditor = Tokens.create("admin");
    String id = TestCustomers.id("audit");
    List<String> eventIds = new ArrayList<>();
    try (BusProbe bus =
        new BusProbe(
            TestInfrastructure.kafka().bootstrapServers(),
            List.of(EventType.CUSTOMER_REQUESTED.topic()))) {
      eventIds.add(
          as(auditor)
              .body(Map.of("id", id, "name", "Audited Ltd"))
              .post("/api/v1/customers")
              .then()
              .statusCode(202)
              .extract()
              .path("eventId"));
      CustomerRequested requested =
          bus
              .await(
                  CustomerRequested.class,
                  events -> events.stream().anyMatch(e -> e.customerId().equals(id)),
                  WAIT)
              .stream()
              .filter(e -> e.customerId().equals(id))
              .findFirst()
              .orElseThrow();
      EventMeta failure = requested.meta().next(CLOCK);
      bus.publish(
          new StepFailed(failure, Step.ALLOCATE_RESOURCES, 4, "no free port", false, "test"));
      awaitStatus(id, "FAILED");
      eventIds.add(write(as(auditor).post("/api/v1/customers/" + id + "/retry")));
      awaitStatus(id, "REQUESTED");
      bus.publish(
          new StepFailed(
              failure.next(CLOCK), Step.ALLOCATE_RESOURCES, 4, "no free port", false, "test"));
      awaitStatus(id, "FAILED");
      eventIds.add(write(as(auditor).post("/api/v1/customers/" + id + "/suspend")));
      bus.publish(new CustomerSuspended(EventMeta.start(id, CLOCK)));
      awaitStatus(id, "SUSPENDED");
      eventIds.add(write(as(auditor).post("/api/v1/customers/" + id + "/resume")));
      eventIds.add(write(as(auditor).delete("/api/v1/customers/" + id)));
    }
    String fleetEvent =
        write(as(auditor).body(Map.of("maxConcurrency", 1)).post("/api/v1/fleet/migrations"));
    String viewerName = "gw-viewer-" + id.substring(id.length() - 8);
    String viewerToken =
        as(auditor)
            .body(Map.of("name", viewerName, "role", "viewer"))
            .post("/api/v1/tokens")
            .then()
            .statusCode(201)
            .extract()
            .path("token");
    as(auditor).delete("/api/v1/tokens/" + viewerName).then().statusCode(204);

    List<AuditRow> rows = auditBy(auditor.name());
    assertThat(rows)
        .extracting(AuditRow::action)
        .containsExactly(
            "customer-requested",
            "retry-requested",
            "suspend-requested",
            "resume-requested",
            "deprovision-requested",
            "fleet-migration-requested",
            "token-created",
            "token-revoked");
    assertThat(rows.subList(0, 5)).extracting(AuditRow::customerId).containsOnly(id);
    assertThat(rows.subList(0, 5)).extracting(AuditRow::eventId).isEqualTo(eventIds);
    assertThat(rows.get(5).eventId()).isEqualTo(fleetEvent);
    assertThat(rows).extracting(AuditRow::at).doesNotContainNull().isSorted();
    assertThat(auditBy("admin"))
        .anyMatch(r -> r.action().equals("token-created") && r.actor().equals("admin"));
    assertThat(rowsMentioning(auditor.token())).isZero();
    assertThat(rowsMentioning(viewerToken)).isZero();
  }

  private static RequestSpecification as(Tokens.Created token) {
    return given().auth().oauth2(token.token()).contentType("application/json");
  }

  /** The event id of an accepted write. */
  private static String write(io.restassured.response.Response response) {
    return response.then().statusCode(202).extract().path("eventId");
  }

  private List<AuditRow> auditBy(String actor) {
    List<AuditRow> rows = new ArrayList<>();
    for (Row row :
        pool.preparedQuery(
                "SELECT actor, action, customer_id, CAST(event_id AS text) AS event_id, at"
                    + " FROM audit WHERE actor = $1 ORDER BY id")
            .execute(Tuple.of(actor))
            .await()
            .atMost(WAIT)) {
      rows.add(
          new AuditRow(
              row.getString("actor"),
              row.getString("action"),
              row.getString("customer_id"),
              row.getString("event_id"),
              row.getOffsetDateTime("at").toInstant()));
    }
    return rows;
  }

  private long rowsMentioning(String secret) {
    return pool.preparedQuery(
            "SELECT count(*) FROM audit WHERE strpos(concat_ws(' ', actor, action, customer_id,"
                + " CAST(event_id AS text), detail), $1) > 0")
        .execute(Tuple.of(secret))
        .await()
        .atMost(WAIT)
        .iterator()
        .next()
        .getLong(0);
  }

  private static void awaitStatus(String id, String status) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () ->
                assertThat(TestCustomers.fetch(id).getString("status"))
                    .as("status of customer %s", id)
                    .isEqualTo(status));
  }
}
