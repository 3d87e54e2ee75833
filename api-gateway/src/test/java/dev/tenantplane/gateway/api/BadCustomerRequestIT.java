package dev.tenantplane.gateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.TestInfrastructure;
import dev.tenantplane.gateway.TestCustomers;
import dev.tenantplane.gateway.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The table of refused customer requests: each is a 4xx problem naming the bad field, and leaves no
 * customer row, outbox row, audit row or event behind.
 */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres,redis"))
class BadCustomerRequestIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Replaced, when the case runs, by a port another customer holds. */
  private static final String HELD_PORT = "\"<held port>\"";

  @Inject Pool pool;
  private static Integer heldPort;

  /**
   * One refused request. {@code id} is the customer id it names, if any, looked for afterwards;
   * {@code fields} are what its problem must name.
   */
  record BadRequest(
      String description,
      String contentType,
      String body,
      Map<String, String> headers,
      String id,
      int status,
      List<String> fields) {
    @Override
    public String toString() {
      return description;
    }
  }

  static List<BadRequest> badRequests() {
    List<BadRequest> cases = new ArrayList<>();
    // id: common's rule, reserved names, look-alikes and strings meant for other interpreters
    badId(cases, "id in upper case", "GW-UPPER-CASE");
    badId(cases, "id in mixed case", "gw-Mixed-Case");
    badId(cases, "id starting with a digit", "1gw-digit");
    badId(cases, "id starting with a hyphen", "-gw-hyphen");
    badId(cases, "id ending with a hyphen", "gw-hyphen-");
    badId(cases, "id with a double hyphen", "gw--double");
    badId(cases, "id longer than 50 characters", "gw-" + "a".repeat(48));
    badId(cases, "id shorter than 3 characters", "gw");
    badId(cases, "id empty", "");
    badId(cases, "id with an underscore", "gw_underscore");
    badId(cases, "id with a dot", "gw.dot");
    badId(cases, "id with a space", "gw space");
    badId(cases, "id with a Cyrillic a", "gw-\u0430cme");
    badId(cases, "id in full-width letters", "\uff47\uff57-acme");
    badId(cases, "id with a zero-width space", "gw-acme\u200b");
    badId(cases, "id with a Unicode hyphen", "gw\u2010acme");
    badId(cases, "id with a dotless i", "gw-\u0131d");
    badId(cases, "id reserved: admin", "admin");
    badId(cases, "id reserved: fleet", "fleet");
    badId(cases, "id reserved: www", "www");
    badId(cases, "id with path traversal", "../../etc/passwd");
    badId(cases, "id with encoded path traversal", "gw-%2e%2e%2fetc");
    badId(cases, "id with SQL", "gw'; DROP TABLE customer; --");
    badId(cases, "id with a shell substitution", "gw-$(reboot)");
    badId(cases, "id with shell backticks", "gw-`id`");
    badId(cases, "id with nginx configuration", "gw-x;}server{listen 80;");
    badId(cases, "id with a line break", "gw-x\nHost: evil");
    withField(cases, "id as a number", "id", 42, null);
    withField(cases, "id as an object", "id", Map.of("value", "gw-object"), null);
    without(cases, "id missing", "id", null);
    // name: 1 to 200 characters, no control characters
    badName(cases, "name empty", "");
    badName(cases, "name blank", "   ");
    badName(cases, "name of 201 characters", "n".repeat(201));
    badName(cases, "name with a bell character", "Bad\u0007Name");
    badName(cases, "name with a NUL character", "Bad\u0000Name");
    badName(cases, "name with a line break", "Acme\nX-Injected: yes");
    badName(cases, "name with a right-to-left override", "\u202eAcme");
    badName(cases, "name with white space around it", " Acme ");
    badName(cases, "name with nginx configuration on new lines", "x;\n}\nserver {\n");
    String id = TestCustomers.id("bad");
    withField(cases, "name as a list", "name", List.of("Acme"), id);
    without(cases, "name missing", "name", TestCustomers.id("bad"));
    // plan
    badPlan(cases, "plan unknown", "huge");
    badPlan(cases, "plan in upper case", "SMALL");
    badPlan(cases, "plan empty", "");
    withField(cases, "plan as a number", "plan", 1, TestCustomers.id("bad"));
    // port: 3001 to 3999, an integer, free
    badPort(cases, "port below the range", 3000);
    badPort(cases, "port above the range", 4000);
    badPort(cases, "port zero", 0);
    badPort(cases, "port negative", -1);
    badPort(cases, "port beyond TCP", 65536);
    badPort(cases, "port as a string", "3005");
    badPort(cases, "port with a fraction", 3005.5);
    badPort(cases, "port as a boolean", true);
    badPort(cases, "port beyond an int", 99_999_999_999L);
    String heldId = TestCustomers.id("bad");
    cases.add(
        new BadRequest(
            "port held by another customer",
            "application/json",
            "{\"id\":\"" + heldId + "\",\"name\":\"Held\",\"port\":" + HELD_PORT + "}",
            Map.of(),
            heldId,
            400,
            List.of("port")));
    // fields the API does not know
    withField(cases, "unknown field", "owner", "me", TestCustomers.id("bad"));
    withField(cases, "field name in another case", "Id", "gw-other", TestCustomers.id("bad"));
    withField(cases, "prototype field", "__proto__", Map.of(), TestCustomers.id("bad"));
    // bodies that are not one JSON object
    String validId = TestCustomers.id("bad");
    String valid = "{\"id\":\"" + validId + "\",\"name\":\"Acme\"}";
    raw(cases, "malformed JSON", "{\"id\":\"" + validId + "\",\"name\":", validId, 400, "body");
    raw(cases, "JSON array", "[" + valid + "]", validId, 400, "body");
    raw(cases, "JSON null", "null", null, 400, "body");
    raw(cases, "JSON string", "\"" + validId + "\"", validId, 400, "body");
    raw(cases, "empty body", "", null, 400, "body");
    raw(cases, "a second JSON value after the object", valid + " {}", validId, 400, "body");
    raw(
        cases,
        "id given twice",
        "{\"id\":\"" + validId + "\",\"name\":\"Acme\",\"id\":\"gw-other-id\"}",
        validId,
        400,
        "body");
    raw(
        cases,
        "body over 16 KiB",
        "{\"id\":\"" + validId + "\",\"name\":\"" + "n".repeat(17_000) + "\"}",
        validId,
        413,
        "body");
    // what the request says about itself
    for (String type :
        List.of("text/plain", "application/xml", "application/x-www-form-urlencoded")) {
      cases.add(
          new BadRequest(
              "content type " + type,
              type,
              valid,
              Map.of(),
              validId,
              415,
              List.of("Content-Type")));
    }
    cases.add(
        new BadRequest(
            "Idempotency-Key of 201 characters",
            "application/json",
            valid,
            Map.of("Idempotency-Key", "k".repeat(201)),
            validId,
            400,
            List.of("Idempotency-Key")));
    cases.add(
        new BadRequest(
            "Idempotency-Key with a space",
            "application/json",
            valid,
            Map.of("Idempotency-Key", "two words"),
            validId,
            400,
            List.of("Idempotency-Key")));
    cases.add(
        new BadRequest(
            "every field wrong at once",
            "application/json",
            "{\"id\":\"Bad\",\"name\":\"\",\"plan\":\"huge\",\"port\":1,\"extra\":true}",
            Map.of(),
            "Bad",
            400,
            List.of("id", "name", "plan", "port", "extra")));
    return cases;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void badRequestIsRefusedNamingTheFieldAndLeavesNoTrace(BadRequest bad)
      throws InterruptedException {
    String body =
        bad.body().contains(HELD_PORT)
            ? bad.body().replace(HELD_PORT, Integer.toString(heldPort()))
            : bad.body();
    // Rows are counted before and after rather than expected to be none: "fleet" has its own.
    Rows before = rows(bad.id());

    RequestSpecification request =
        given()
            .config(
                RestAssuredConfig.config()
                    .encoderConfig(
                        EncoderConfig.encoderConfig()
                            .appendDefaultContentCharsetToContentTypeIfUndefined(false)))
            .auth()
            .oauth2(Tokens.admin())
            .contentType(bad.contentType())
            .headers(bad.headers());
    // JSON goes as UTF-8 bytes, so look-alike characters arrive as they are; the client library
    // only sends other content types from text.
    if (bad.contentType().equals("application/json")) {
      request.body(body.getBytes(StandardCharsets.UTF_8));
    } else {
      request.body(body);
    }
    request
        .post("/api/v1/customers")
        .then()
        .statusCode(bad.status())
        .contentType("application/problem+json")
        .body("status", equalTo(bad.status()))
        .body("errors.field", containsInAnyOrder(bad.fields().toArray()));

    assertThat(rows(bad.id())).isEqualTo(before);
    if (bad.id() != null) {
      awaitOutboxPublished();
      assertThat(
              TopicRecords.countWithKey(
                  TestInfrastructure.kafka().bootstrapServers(),
                  EventType.CUSTOMER_REQUESTED.topic(),
                  bad.id()))
          .isZero();
    }
  }

  /**
   * The rows a request can leave: audit and outbox rows in all, and the customer row, audit rows
   * and outbox rows of the id it names.
   */
  record Rows(long audit, long outbox, long customer, long customerAudit, long customerOutbox) {}

  private Rows rows(String id) {
    long audit = count("SELECT count(*) FROM audit", Tuple.tuple());
    long outbox = count("SELECT count(*) FROM outbox", Tuple.tuple());
    if (id == null) {
      return new Rows(audit, outbox, 0, 0, 0);
    }
    return new Rows(
        audit,
        outbox,
        count("SELECT count(*) FROM customer WHERE id = $1", Tuple.of(id)),
        count("SELECT count(*) FROM audit WHERE customer_id = $1", Tuple.of(id)),
        count("SELECT count(*) FROM outbox WHERE message_key = $1", Tuple.of(id)));
  }

  /** Every earlier outbox row is on Kafka, so an event for the case would be there by now. */
  private void awaitOutboxPublished() throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    while (count("SELECT count(*) FROM outbox WHERE sent_at IS NULL", Tuple.tuple()) > 0) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("the outbox was not published within " + WAIT);
      }
      Thread.sleep(50);
    }
  }

  /** A port some customer holds, requested once for the whole table. */
  private int heldPort() {
    if (heldPort == null) {
      int port = TestCustomers.freePort(pool);
      given()
          .auth()
          .oauth2(Tokens.admin())
          .contentType("application/json")
          .body(Map.of("id", TestCustomers.id("holder"), "name", "Holder", "port", port))
          .post("/api/v1/customers")
          .then()
          .statusCode(202);
      heldPort = port;
    }
    return heldPort;
  }

  private long count(String sql, Tuple params) {
    return pool.preparedQuery(sql)
        .execute(params)
        .await()
        .atMost(WAIT)
        .iterator()
        .next()
        .getLong(0);
  }

  private static void badId(List<BadRequest> cases, String description, String id) {
    withField(cases, description, "id", id, id);
  }

  private static void badName(List<BadRequest> cases, String description, String name) {
    withField(cases, description, "name", name, TestCustomers.id("bad"));
  }

  private static void badPlan(List<BadRequest> cases, String description, String plan) {
    withField(cases, description, "plan", plan, TestCustomers.id("bad"));
  }

  private static void badPort(List<BadRequest> cases, String description, Object port) {
    withField(cases, description, "port", port, TestCustomers.id("bad"));
  }

  /** A valid request for {@code id} but for {@code field}, set to {@code value}. */
  private static void withField(
      List<BadRequest> cases, String description, String field, Object value, String id) {
    cases.add(json(description, id, body -> body.put(field, value), field));
  }

  private static void without(List<BadRequest> cases, String description, String field, String id) {
    cases.add(json(description, id, body -> body.remove(field), field));
  }

  private static BadRequest json(
      String description, String id, Consumer<Map<String, Object>> change, String field) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.put("name", "Bad Request Ltd");
    body.put("plan", "small");
    change.accept(body);
    try {
      return new BadRequest(
          description,
          "application/json",
          JSON.writeValueAsString(body),
          Map.of(),
          id,
          400,
          List.of(field));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void raw(
      List<BadRequest> cases,
      String description,
      String body,
      String id,
      int status,
      String field) {
    cases.add(
        new BadRequest(
            description, "application/json", body, Map.of(), id, status, List.of(field)));
  }
}
