package dev.tenantplane.gateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.gateway.TestCustomers;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests that arrive together. A lock on the customer table holds the first request(s) right
 * before their insert, after every check that precedes it, so each race below really happens.
 */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres,redis"))
class ConcurrentRequestsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Inject Pool pool;
  @Inject AgroalDataSource dataSource;
  private ExecutorService clients;

  @BeforeEach
  void startClients() {
    clients = Executors.newFixedThreadPool(2);
  }

  @AfterEach
  void stopClients() {
    clients.shutdownNow();
  }

  @Test
  void secondRequestWithTheSameIdempotencyKeyWhileTheFirstRunsIsToldItIsInProgress()
      throws Exception {
    String id = TestCustomers.id("idem-race");
    String key = UUID.randomUUID().toString();
    Map<String, Object> body = Map.of("id", id, "name", "Race Ltd");

    Future<Response> first;
    Response second;
    try (CustomerTableLock lock = CustomerTableLock.take(dataSource, pool)) {
      first = clients.submit(() -> post(body, key));
      lock.awaitQueuedInserts(1);
      second = post(body, key);
    }
    Response firstAnswer = first.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    firstAnswer.then().statusCode(202);
    second
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .header("Retry-After", "1");
    assertThat(second.jsonPath().getString("detail")).contains("in progress");
    Response afterwards = post(body, key);
    afterwards.then().statusCode(202);
    assertThat(afterwards.asString()).isEqualTo(firstAnswer.asString());
    assertThat(count("SELECT count(*) FROM customer WHERE id = $1", id)).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM outbox WHERE message_key = $1", id)).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM audit WHERE customer_id = $1", id)).isEqualTo(1);
  }

  @Test
  void requestsThatFailedBeforeAnAnswerFreeTheirIdempotencyKey() {
    String taken = TestCustomers.id("idem-taken");
    post(Map.of("id", taken, "name", "First"), null).then().statusCode(202);
    String key = UUID.randomUUID().toString();

    post(Map.of("id", taken, "name", "Second"), key).then().statusCode(409);

    String fresh = TestCustomers.id("idem-free");
    post(Map.of("id", fresh, "name", "Second"), key).then().statusCode(202);
  }

  @Test
  void twoRequestsForOnePortAtOnceAreDecidedByTheDatabase() throws Exception {
    int port = TestCustomers.freePort(pool);
    String one = TestCustomers.id("port-race");
    String other = TestCustomers.id("port-race");

    Future<Response> oneAnswer;
    Future<Response> otherAnswer;
    try (CustomerTableLock lock = CustomerTableLock.take(dataSource, pool)) {
      oneAnswer = clients.submit(() -> post(Map.of("id", one, "name", "One", "port", port), null));
      otherAnswer =
          clients.submit(() -> post(Map.of("id", other, "name", "Other", "port", port), null));
      lock.awaitQueuedInserts(2);
    }
    List<Response> answers =
        List.of(
            oneAnswer.get(WAIT.toSeconds(), TimeUnit.SECONDS),
            otherAnswer.get(WAIT.toSeconds(), TimeUnit.SECONDS));

    assertThat(answers).extracting(Response::statusCode).containsExactlyInAnyOrder(202, 400);
    Response refused = answers.stream().filter(a -> a.statusCode() == 400).findFirst().get();
    refused.then().contentType("application/problem+json");
    assertThat(refused.jsonPath().getList("errors.field")).containsExactly("port");
    String loser = answers.get(0) == refused ? one : other;
    assertThat(count("SELECT count(*) FROM customer WHERE requested_port = $1", port)).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM customer WHERE id = $1", loser)).isZero();
    assertThat(count("SELECT count(*) FROM outbox WHERE message_key = $1", loser)).isZero();
    assertThat(count("SELECT count(*) FROM audit WHERE customer_id = $1", loser)).isZero();
  }

  private static Response post(Map<String, Object> body, String idempotencyKey) {
    var request = given().auth().oauth2(Tokens.admin()).contentType("application/json");
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return request.body(body).post("/api/v1/customers");
  }

  private long count(String sql, Object value) {
    return pool.preparedQuery(sql)
        .execute(Tuple.of(value))
        .await()
        .atMost(WAIT)
        .iterator()
        .next()
        .getLong(0);
  }
}
