package dev.tenantplane.gateway.api;

import static dev.tenantplane.gateway.api.BadRequestTable.HELD_PORT;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.TestInfrastructure;
import dev.tenantplane.gateway.TestCustomers;
import dev.tenantplane.gateway.TopicRecords;
import dev.tenantplane.gateway.api.BadRequestTable.BadRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the table of refused requests ({@link BadRequestTable}): each is a 4xx problem naming the
 * bad field, header or parameter, and leaves no customer row, outbox row, audit row or event
 * behind. The requests go out byte for byte as the table gives them, through a plain HTTP client,
 * so missing headers and bytes that are not UTF-8 arrive as they are.
 */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres,redis"))
class BadCustomerRequestIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();

  @Inject Pool pool;

  @TestHTTPResource("/")
  URI server;

  private static Integer heldPort;

  static List<BadRequest> badRequests() {
    return BadRequestTable.cases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void badRequestIsRefusedNamingTheFieldAndLeavesNoTrace(BadRequest bad) throws Exception {
    // Built first: a held port is requested, with its rows, before this case's rows are counted.
    HttpRequest request = request(bad);
    // Rows are counted before and after rather than expected to be none: "fleet" has its own.
    Rows before = rows(bad.id());

    HttpResponse<String> answer = HTTP.send(request, BodyHandlers.ofString());

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(bad.status());
    assertThat(answer.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
    JsonPath problem = JsonPath.from(answer.body());
    assertThat(problem.getInt("status")).isEqualTo(bad.status());
    assertThat(problem.getList("errors.field", String.class))
        .containsExactlyInAnyOrderElementsOf(bad.fields());
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
   * A chunked body has no Content-Length to refuse it by before it is read: read, it gets the same
   * 413 problem as a body that declared its size (one over the HTTP layer's 64 KiB is cut off by
   * that layer while it is read, as the README says).
   */
  @Test
  void chunkedBodyOverTheLimitIsRefusedWithTheSameProblemOnceRead() throws Exception {
    String id = "gx-chunked-" + UUID.randomUUID().toString().substring(0, 8);
    byte[] body =
        ("{\"id\":\"" + id + "\",\"name\":\"Acme\"}" + " ".repeat(20_000))
            .getBytes(StandardCharsets.UTF_8);
    HttpRequest chunked =
        HttpRequest.newBuilder(server.resolve("/api/v1/customers"))
            .timeout(WAIT)
            .header("Authorization", "Bearer " + Tokens.admin())
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
            .build();

    HttpResponse<String> answer = HTTP.send(chunked, BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(413);
    assertThat(JsonPath.from(answer.body()).getList("errors.field", String.class))
        .containsExactly("body");
    assertThat(rows(id))
        .extracting(Rows::customer, Rows::customerAudit, Rows::customerOutbox)
        .containsOnly(0L);
  }

  private HttpRequest request(BadRequest bad) {
    byte[] body = bad.body();
    if (body != null && new String(body, StandardCharsets.UTF_8).contains(HELD_PORT)) {
      body =
          new String(body, StandardCharsets.UTF_8)
              .replace(HELD_PORT, Integer.toString(heldPort()))
              .getBytes(StandardCharsets.UTF_8);
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.resolve(bad.path()))
            .timeout(WAIT)
            .header("Authorization", "Bearer " + Tokens.admin())
            .method(
                bad.method(),
                body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
    if (bad.contentType() != null) {
      request.header("Content-Type", bad.contentType());
    }
    bad.headers().forEach(request::header);
    return request.build();
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
  private void awaitOutboxPublished() {
    await("the outbox published")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> count("SELECT count(*) FROM outbox WHERE sent_at IS NULL", Tuple.tuple()) == 0);
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
}
