package dev.tenantplane.gateway;

import static io.restassured.RestAssured.given;

import dev.tenantplane.gateway.api.Tokens;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Customer ids, ports and status reads for this module's tests. */
public final class TestCustomers {
  /** Every customer id these tests create starts with this, so their rows are recognisable. */
  public static final String PREFIX = "gw-";

  private static final Duration WAIT = Duration.ofSeconds(30);

  private TestCustomers() {}

  /** A customer id no test used before, e.g. {@code gw-audit-1a2b3c4d}. */
  public static String id(String purpose) {
    return PREFIX + purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * A port in the customer range that no customer in the database asked for or was given, so a
   * test's request for it is refused only for the reason the test means.
   */
  public static int freePort(Pool pool) {
    return pool.query(
            "SELECT p FROM generate_series(3001, 3999) AS p WHERE NOT EXISTS (SELECT 1 FROM"
                + " customer c WHERE c.status <> 'DEPROVISIONED' AND (c.app_port = p OR"
                + " c.requested_port = p)) ORDER BY random() LIMIT 1")
        .execute()
        .await()
        .atMost(WAIT)
        .iterator()
        .next()
        .getInteger(0);
  }

  /** The customer as {@code GET /api/v1/customers/{id}} shows it to an admin (asserting 200). */
  public static JsonPath fetch(String id) {
    return given()
        .auth()
        .oauth2(Tokens.admin())
        .get("/api/v1/customers/" + id)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  /**
   * The customer once {@code condition} holds on what {@code GET /api/v1/customers/{id}} shows,
   * polling for up to 30 s; on a timeout the failure shows the customer as last read.
   */
  public static JsonPath await(String id, Predicate<JsonPath> condition) {
    AtomicReference<JsonPath> last = new AtomicReference<>();
    try {
      return Awaitility.await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                last.set(fetch(id));
                return last.get();
              },
              condition::test);
    } catch (ConditionTimeoutException e) {
      JsonPath customer = last.get();
      throw new AssertionError(
          "customer "
              + id
              + " never met the condition: "
              + (customer == null ? null : customer.prettify()),
          e);
    }
  }
}
