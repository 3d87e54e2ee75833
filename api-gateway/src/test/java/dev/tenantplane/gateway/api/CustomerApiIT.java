package dev.tenantplane.gateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import dev.tenantplane.common.events.CustomerRequested;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.testing.BusProbe;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.TestInfrastructure;
import dev.tenantplane.gateway.TestCustomers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres,redis"))
class CustomerApiIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static String viewerToken;

  @Inject Pool pool;
  private BusProbe bus;

  @BeforeEach
  void openProbe() {
    bus =
        new BusProbe(
            TestInfrastructure.kafka().bootstrapServers(),
            List.of(EventType.CUSTOMER_REQUESTED.topic()));
  }

  @AfterEach
  void closeProbe() {
    bus.close();
  }

  @Test
  void acceptedRequestAnswers202AndEmitsCustomerRequestedWithCloudEventsHeaders() {
    String id = uniqueId("acme");
    Response response =
        operator()
            .body(Map.of("id", id, "name", "ACME Corporation", "plan", "small", "port", freePort()))
            .post("/api/v1/customers");

    response.then().statusCode(202).header("Location", "/api/v1/customers/" + id);
    assertThat(response.jsonPath().getString("status")).isEqualTo("REQUESTED");
    String correlation = response.jsonPath().getString("correlationId");
    CustomerRequested event = awaitRequested(id);
    assertThat(event.meta().correlationId().toString()).isEqualTo(correlation);
    assertThat(event.name()).isEqualTo("ACME Corporation");
    assertThat(event.plan()).isEqualTo("small");
    var record =
        bus.records(EventType.CUSTOMER_REQUESTED).stream()
            .filter(r -> id.equals(r.key()))
            .findFirst()
            .orElseThrow();
    assertThat(BusProbe.header(record, "ce_type")).isEqualTo("tenantplane.customer.requested.v1");
    assertThat(BusProbe.header(record, "ce_source")).isEqualTo("/tenantplane/api-gateway");
    assertThat(BusProbe.header(record, "ce_subject")).isEqualTo(id);
    assertThat(BusProbe.header(record, "ce_id")).isEqualTo(event.meta().eventId().toString());
    assertThat(BusProbe.header(record, "ce_specversion")).isEqualTo("1.0");

    viewer()
        .get("/api/v1/customers/" + id)
        .then()
        .statusCode(200)
        .body("status", equalTo("REQUESTED"))
        .body("names.database", equalTo("saas_" + id.replace('-', '_')));
  }

  @Test
  void duplicateIdIsAConflict() {
    String id = uniqueId("dup");
    operator()
        .body(Map.of("id", id, "name", "First"))
        .post("/api/v1/customers")
        .then()
        .statusCode(202);

    operator()
        .body(Map.of("id", id, "name", "Second"))
        .post("/api/v1/customers")
        .then()
        .statusCode(409)
        .contentType("application/problem+json");
    viewer().get("/api/v1/customers/" + id).then().body("name", equalTo("First"));
  }

  @Test
  void sameIdempotencyKeyReplaysTheFirstAnswerAndADifferentBodyIsRefused() {
    String id = uniqueId("idem");
    String key = UUID.randomUUID().toString();
    Map<String, Object> body = Map.of("id", id, "name", "Idempotent Ltd");
    Response first = operator().header("Idempotency-Key", key).body(body).post("/api/v1/customers");
    first.then().statusCode(202);
    long outboxAfterFirst = count("outbox");

    Response again = operator().header("Idempotency-Key", key).body(body).post("/api/v1/customers");

    again.then().statusCode(202).header("Location", "/api/v1/customers/" + id);
    assertThat(again.jsonPath().getString("eventId"))
        .isEqualTo(first.jsonPath().getString("eventId"));
    assertThat(count("outbox")).isEqualTo(outboxAfterFirst);
    operator()
        .header("Idempotency-Key", key)
        .body(Map.of("id", id, "name", "Someone Else"))
        .post("/api/v1/customers")
        .then()
        .statusCode(422)
        .contentType("application/problem+json");
  }

  @Test
  void missingWrongAndRevokedTokensAre401AndAViewerCannotWrite() {
    given()
        .get("/api/v1/customers")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", startsWith("Bearer"));
    given().auth().oauth2("tp_wrong").get("/api/v1/customers").then().statusCode(401);

    String viewer = Tokens.create("viewer").token();
    given().auth().oauth2(viewer).get("/api/v1/customers").then().statusCode(200);
    given()
        .auth()
        .oauth2(viewer)
        .contentType("application/json")
        .body(Map.of("id", uniqueId("viewer"), "name", "x"))
        .post("/api/v1/customers")
        .then()
        .statusCode(403)
        .contentType("application/problem+json");

    Tokens.Created revoked = Tokens.create("operator");
    given().auth().oauth2(revoked.token()).get("/api/v1/customers").then().statusCode(200);
    operator().delete("/api/v1/tokens/" + revoked.name()).then().statusCode(204);
    given().auth().oauth2(revoked.token()).get("/api/v1/customers").then().statusCode(401);
  }

  @Test
  void adminTokenFileIsReadableByItsOwnerOnly() throws Exception {
    Set<PosixFilePermission> permissions =
        Files.getPosixFilePermissions(Path.of("target/admin-token"));
    assertThat(permissions)
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void listFiltersByStatusAndRejectsBadParameters() {
    String id = uniqueId("listed");
    operator()
        .body(Map.of("id", id, "name", "Listed"))
        .post("/api/v1/customers")
        .then()
        .statusCode(202);

    viewer()
        .queryParam("status", "REQUESTED")
        .queryParam("size", "100")
        .get("/api/v1/customers")
        .then()
        .statusCode(200)
        .body("items.id", hasItem(id));
    viewer()
        .queryParam("status", "SLEEPING")
        .queryParam("size", "0")
        .get("/api/v1/customers")
        .then()
        .statusCode(400)
        .body("errors.field", containsInAnyOrder("status", "size"));
  }

  @Test
  void gatewayHealthAnswersTheSeedShapeWithoutAToken() {
    given()
        .get("/api/health")
        .then()
        .statusCode(200)
        .body("status", equalTo("healthy"))
        .body("service", equalTo("api-gateway"));
    given().get("/q/openapi").then().statusCode(200);
  }

  @Test
  void fleetMigrationEmitsARequestForTheFleet() {
    operator()
        .body(Map.of("maxConcurrency", 3))
        .post("/api/v1/fleet/migrations")
        .then()
        .statusCode(202)
        .body("id", equalTo("fleet"));
    operator()
        .body(Map.of("maxConcurrency", 0))
        .post("/api/v1/fleet/migrations")
        .then()
        .statusCode(400)
        .body("errors.field", containsInAnyOrder("maxConcurrency"));
  }

  private CustomerRequested awaitRequested(String id) {
    return bus
        .await(
            CustomerRequested.class,
            events -> events.stream().anyMatch(e -> e.customerId().equals(id)),
            WAIT)
        .stream()
        .filter(e -> e.customerId().equals(id))
        .findFirst()
        .orElseThrow();
  }

  private long count(String table) {
    return pool.query("SELECT count(*) AS n FROM " + table)
        .execute()
        .await()
        .atMost(WAIT)
        .iterator()
        .next()
        .getLong("n");
  }

  private static io.restassured.specification.RequestSpecification operator() {
    return given().auth().oauth2(Tokens.admin()).contentType("application/json");
  }

  /** Reads go through a viewer token, as a dashboard would. */
  private static io.restassured.specification.RequestSpecification viewer() {
    if (viewerToken == null) {
      viewerToken = Tokens.create("viewer").token();
    }
    return given().auth().oauth2(viewerToken);
  }

  static String uniqueId(String purpose) {
    return TestCustomers.id(purpose);
  }

  /** A port in the customer range that no customer holds. */
  private int freePort() {
    return TestCustomers.freePort(pool);
  }
}
