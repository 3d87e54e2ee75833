package dev.tenantplane.gateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tenantplane.common.events.CustomerDeprovisioned;
import dev.tenantplane.common.events.CustomerRequested;
import dev.tenantplane.common.events.CustomerSuspendRequested;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.common.events.Topics;
import dev.tenantplane.common.kafka.EventCodec;
import dev.tenantplane.common.testing.BusProbe;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.TestInfrastructure;
import dev.tenantplane.gateway.LifecycleScript;
import dev.tenantplane.gateway.TestCustomers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres,redis"))
class DeadLetterApiIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Clock CLOCK = Clock.systemUTC();
  private static final EventCodec CODEC = new EventCodec("/tenantplane/test");

  @Inject Pool pool;
  private BusProbe bus;

  @BeforeEach
  void openProbe() {
    bus =
        new BusProbe(
            TestInfrastructure.kafka().bootstrapServers(),
            List.of(
                EventType.CUSTOMER_REQUESTED.topic(),
                EventType.CUSTOMER_SUSPEND_REQUESTED.topic()));
  }

  @AfterEach
  void closeProbe() {
    bus.close();
  }

  @Test
  void aDeadLetterIsListedWithItsStepAndReasonAndIsReplayedOnceAsACopy() {
    Tokens.Created operator = Tokens.create("operator");
    String id = TestCustomers.id("dead");
    CustomerSuspendRequested suspend = new CustomerSuspendRequested(EventMeta.start(id, CLOCK));
    deadLetter(suspend, "provisioner.suspend", Step.SUSPEND, "docker stop timed out");

    JsonPath listed = awaitDeadLetters(operator, id, 1);
    assertThat(listed.getString("items[0].eventType"))
        .isEqualTo("tenantplane.customer.suspend-requested.v1");
    assertThat(listed.getString("items[0].eventId")).isEqualTo(suspend.meta().eventId().toString());
    assertThat(listed.getString("items[0].consumer")).isEqualTo("provisioner.suspend");
    assertThat(listed.getString("items[0].step")).isEqualTo("SUSPEND");
    assertThat(listed.getString("items[0].reason")).isEqualTo("docker stop timed out");
    assertThat(listed.getString("items[0].replayedAt")).isNull();
    assertThat(listed.prettify()).doesNotContain("payload", "\"meta\"");
    long letter = listed.getLong("items[0].id");

    String copyId =
        given()
            .auth()
            .oauth2(operator.token())
            .post("/api/v1/dead-letters/" + letter + "/replay")
            .then()
            .statusCode(202)
            .extract()
            .path("eventId");
    CustomerSuspendRequested copy =
        bus
            .await(
                CustomerSuspendRequested.class,
                events ->
                    events.stream().anyMatch(e -> e.meta().eventId().toString().equals(copyId)),
                WAIT)
            .stream()
            .filter(e -> e.meta().eventId().toString().equals(copyId))
            .findFirst()
            .orElseThrow();
    assertThat(copy.customerId()).isEqualTo(id);
    assertThat(copy.meta().causationId()).isEqualTo(suspend.meta().eventId());
    assertThat(copy.meta().correlationId()).isEqualTo(suspend.meta().correlationId());

    JsonPath replayed = awaitDeadLetters(operator, id, 1);
    assertThat(replayed.getString("items[0].replayedBy")).isEqualTo(operator.name());
    assertThat(replayed.getString("items[0].replayEventId")).isEqualTo(copyId);
    assertThat(
            given()
                .auth()
                .oauth2(operator.token())
                .post("/api/v1/dead-letters/" + letter + "/replay")
                .then()
                .statusCode(409)
                .extract()
                .<String>path("detail"))
        .contains("was replayed");
    assertThat(
            given()
                .auth()
                .oauth2(operator.token())
                .queryParam("actor", operator.name())
                .queryParam("action", "dead-letter-replayed")
                .get("/api/v1/audit")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.eventId", String.class))
        .containsExactly(copyId);
  }

  @Test
  void anUnreadableRecordAndAFailedCustomersStepAreNotReplayed() {
    Tokens.Created operator = Tokens.create("operator");
    String id = TestCustomers.id("dead-failed");
    given()
        .auth()
        .oauth2(operator.token())
        .contentType("application/json")
        .body(Map.of("id", id, "name", "Dead Letters Ltd"))
        .post("/api/v1/customers")
        .then()
        .statusCode(202);
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
    bus.publish(
        new StepFailed(
            requested.meta().next(CLOCK), Step.ALLOCATE_RESOURCES, 4, "no free port", false, "t"));
    deadLetter(requested, "provisioner.allocate", Step.ALLOCATE_RESOURCES, "no free port");
    Headers headers = new RecordHeaders();
    headers.add("ce_type", "nonsense".getBytes(StandardCharsets.UTF_8));
    headers.add("tp_consumer", "migrator.migrate".getBytes(StandardCharsets.UTF_8));
    headers.add("tp_reason", "unknown event type".getBytes(StandardCharsets.UTF_8));
    headers.add("tp_origin", "tenantplane.containers.started/0/7".getBytes(StandardCharsets.UTF_8));
    bus.send(
        new ProducerRecord<>(
            Topics.DEAD_LETTER, null, id, "{not json".getBytes(StandardCharsets.UTF_8), headers));

    JsonPath listed = awaitDeadLetters(operator, id, 2);
    assertThat(listed.getString("items[0].origin")).isEqualTo("tenantplane.containers.started/0/7");
    assertThat(listed.getString("items[1].step")).isEqualTo("ALLOCATE_RESOURCES");
    await().atMost(WAIT).until(() -> customer(operator, id).path("status"), "FAILED"::equals);

    assertThat(replayRefusal(operator, listed.getLong("items[0].id")))
        .contains("no consumer could read");
    assertThat(replayRefusal(operator, listed.getLong("items[1].id")))
        .contains("is FAILED at ALLOCATE_RESOURCES", "/retry");
    assertThat(awaitDeadLetters(operator, id, 2).getList("items.replayedAt")).containsOnlyNulls();
  }

  @Test
  void aRecordNobodyCanReadOnTheLifecycleStreamIsListedOnceWithWhereItCameFrom() {
    Tokens.Created operator = Tokens.create("operator");
    String id = TestCustomers.id("unreadable");
    bus.send(
        new ProducerRecord<>(
            Topics.LIFECYCLE, id, "no headers at all".getBytes(StandardCharsets.UTF_8)));
    // A later event of the customer is still projected: the bad record holds nothing up.
    bus.publish(new CustomerRequested(EventMeta.start(id, CLOCK), "Later Ltd", "small", null));

    JsonPath listed = awaitDeadLetters(operator, id, 1);
    assertThat(listed.getString("items[0].consumer")).isEqualTo("api-gateway.projection");
    assertThat(listed.getString("items[0].reason")).contains("missing header");
    assertThat(listed.getString("items[0].origin")).startsWith(Topics.LIFECYCLE + "/");
    await().atMost(WAIT).until(() -> customer(operator, id).statusCode(), status -> status == 200);
    assertThat(awaitDeadLetters(operator, id, 1).getList("items")).hasSize(1);
  }

  @Test
  void badIdsFiltersAndAViewersReplayAreRefused() {
    Tokens.Created viewer = Tokens.create("viewer");
    Tokens.Created operator = Tokens.create("operator");
    for (String id : List.of("abc", "0", "-3", "1.5")) {
      assertThat(
              given()
                  .auth()
                  .oauth2(operator.token())
                  .post("/api/v1/dead-letters/" + id + "/replay")
                  .then()
                  .statusCode(400)
                  .extract()
                  .jsonPath()
                  .getList("errors.field", String.class))
          .as(id)
          .containsExactly("id");
    }
    given()
        .auth()
        .oauth2(operator.token())
        .post("/api/v1/dead-letters/999999999/replay")
        .then()
        .statusCode(404);
    given()
        .auth()
        .oauth2(viewer.token())
        .post("/api/v1/dead-letters/1/replay")
        .then()
        .statusCode(403);
    for (String query : List.of("customer=UPPER", "customer=", "size=0", "page=x")) {
      assertThat(
              given()
                  .auth()
                  .oauth2(viewer.token())
                  .urlEncodingEnabled(false)
                  .get("/api/v1/dead-letters?" + query)
                  .then()
                  .statusCode(400)
                  .extract()
                  .jsonPath()
                  .getList("errors.field", String.class))
          .as(query)
          .containsExactly(query.substring(0, query.indexOf('=')));
    }
  }

  @Test
  void aDeprovisionedCustomersSealedCopiesAreDeletedAndItsDeadLetterCanNoLongerBeReplayed() {
    Tokens.Created operator = Tokens.create("operator");
    String id = TestCustomers.id("dead-gone");
    LifecycleScript script = new LifecycleScript(bus);
    List<LifecycleEvent> steps = LifecycleScript.provisioning(script.request(id), 3);
    bus.publish(steps.get(0));
    deadLetter(steps.get(1), "migrator.migrate", Step.MIGRATE_DATABASE, "database unreachable");
    long letter = awaitDeadLetters(operator, id, 1).getLong("items[0].id");
    await().atMost(WAIT).until(() -> stepInputs(id), count -> count > 0);
    String published = "SELECT count(*) FROM outbox WHERE message_key = $1 AND sent_at IS NOT NULL";
    await().atMost(WAIT).until(() -> sqlCount(published, id), count -> count > 0);

    bus.publish(new CustomerDeprovisioned(steps.get(0).meta().next(CLOCK)));
    await()
        .atMost(WAIT)
        .until(() -> TestCustomers.fetch(id).getString("status"), "DEPROVISIONED"::equals);
    // A step input that arrives late is not kept either.
    bus.publish(steps.get(2));
    await()
        .atMost(WAIT)
        .until(
            () -> TestCustomers.fetch(id).getList("timeline.eventId", String.class),
            ids -> ids.contains(steps.get(2).meta().eventId().toString()));

    assertThat(stepInputs(id)).as("step inputs with sealed credentials").isZero();
    assertThat(sqlCount(published, id)).as("published outbox rows of the customer").isZero();
    assertThat(
            sqlCount(
                "SELECT count(*) FROM dead_letter WHERE customer_id = $1 AND payload IS NOT NULL",
                id))
        .as("dead letters still holding their record")
        .isZero();
    assertThat(awaitDeadLetters(operator, id, 1).getLong("items[0].id"))
        .as("the dead letter stays listed")
        .isEqualTo(letter);
    assertThat(replayRefusal(operator, letter)).contains("no longer holds its record");
  }

  private long stepInputs(String id) {
    return sqlCount("SELECT count(*) FROM step_input WHERE customer_id = $1", id);
  }

  private long sqlCount(String sql, String id) {
    return pool.preparedQuery(sql)
        .execute(Tuple.of(id))
        .await()
        .atMost(WAIT)
        .iterator()
        .next()
        .getLong(0);
  }

  /** A record as the kit's step runner dead-letters it: the event, plus who gave up and why. */
  private void deadLetter(LifecycleEvent event, String consumer, Step step, String reason) {
    EventCodec.Encoded encoded = CODEC.encode(event);
    Headers headers = encoded.headers();
    headers.add("tp_consumer", consumer.getBytes(StandardCharsets.UTF_8));
    headers.add("tp_step", step.name().getBytes(StandardCharsets.UTF_8));
    headers.add("tp_reason", reason.getBytes(StandardCharsets.UTF_8));
    bus.send(
        new ProducerRecord<>(Topics.DEAD_LETTER, null, encoded.key(), encoded.value(), headers));
  }

  private static JsonPath awaitDeadLetters(Tokens.Created token, String customer, int count) {
    return await()
        .atMost(WAIT)
        .until(
            () ->
                given()
                    .auth()
                    .oauth2(token.token())
                    .queryParam("customer", customer)
                    .get("/api/v1/dead-letters")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath(),
            // The items, not the total: the page and its count are two reads, and a dead letter
            // stored between them is counted before it is listed.
            page -> page.getList("items").size() == count);
  }

  private static ExtractableResponse<Response> customer(Tokens.Created token, String id) {
    return given().auth().oauth2(token.token()).get("/api/v1/customers/" + id).then().extract();
  }

  private static String replayRefusal(Tokens.Created token, long letter) {
    return given()
        .auth()
        .oauth2(token.token())
        .post("/api/v1/dead-letters/" + letter + "/replay")
        .then()
        .statusCode(409)
        .extract()
        .path("detail");
  }
}
