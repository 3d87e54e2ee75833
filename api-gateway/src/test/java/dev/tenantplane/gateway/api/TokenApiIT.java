package dev.tenantplane.gateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.gateway.TestCustomers;
import dev.tenantplane.gateway.auth.TokenHash;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Only admins make, list and revoke tokens; tokens expire within the configured lifetimes; the list
 * never shows a value.
 */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres,redis"))
class TokenApiIT {
  @Inject Pool pool;

  @Test
  void aTokenExpiresAfterItsLifetimeAndIsThenRefused() {
    String name = unique("short");
    JsonPath created =
        create(Tokens.admin(), Map.of("name", name, "role", "viewer", "expiresInDays", 1))
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    Instant expires = Instant.parse(created.getString("expiresAt"));
    assertThat(expires)
        .isBetween(
            Instant.now().plus(Duration.ofHours(23)), Instant.now().plus(Duration.ofHours(25)));
    String token = created.getString("token");
    given().auth().oauth2(token).get("/api/v1/customers").then().statusCode(200);

    pool.preparedQuery(
            "UPDATE api_token SET expires_at = now() - interval '1 second' WHERE name = $1")
        .execute(Tuple.of(name))
        .await()
        .atMost(Duration.ofSeconds(10));

    given()
        .auth()
        .oauth2(token)
        .get("/api/v1/customers")
        .then()
        .statusCode(401)
        .body("detail", containsString("expired"));
  }

  @Test
  void anOperatorCannotMintListOrRevokeTokens() {
    Tokens.Created operator = Tokens.create("operator");
    Tokens.Created viewer = Tokens.create("viewer");
    for (String role : List.of("viewer", "operator", "admin")) {
      String refused = unique("by-operator-" + role);
      create(operator.token(), Map.of("name", refused, "role", role))
          .then()
          .statusCode(403)
          .body("detail", containsString("only an admin"));
      assertThat(names()).as("an operator asking for a " + role).doesNotContain(refused);
    }
    given().auth().oauth2(operator.token()).get("/api/v1/tokens").then().statusCode(403);
    revoke(operator.token(), viewer.name()).then().statusCode(403);
    revoke(operator.token(), operator.name()).then().statusCode(403);
    given().auth().oauth2(viewer.token()).get("/api/v1/customers").then().statusCode(200);
    // Every role still learns who it is, and an operator still writes.
    given()
        .auth()
        .oauth2(operator.token())
        .get("/api/v1/tokens/self")
        .then()
        .statusCode(200)
        .body("role", equalTo("operator"));
    assertMayWrite(operator.token());
  }

  @Test
  void aViewerCannotWriteOrManageTokens() {
    Tokens.Created viewer = Tokens.create("viewer");
    Tokens.Created other = Tokens.create("viewer");
    String refused = unique("by-viewer");
    create(viewer.token(), Map.of("name", refused, "role", "viewer"))
        .then()
        .statusCode(403)
        .body("detail", containsString("only an admin"));
    given().auth().oauth2(viewer.token()).get("/api/v1/tokens").then().statusCode(403);
    revoke(viewer.token(), other.name()).then().statusCode(403);
    given()
        .auth()
        .oauth2(viewer.token())
        .contentType("application/json")
        .body(Map.of("id", TestCustomers.id("viewer-write"), "name", "Viewer Write"))
        .post("/api/v1/customers")
        .then()
        .statusCode(403)
        .body("detail", containsString("only read"));
    assertThat(names()).doesNotContain(refused);
    given().auth().oauth2(other.token()).get("/api/v1/customers").then().statusCode(200);
    given()
        .auth()
        .oauth2(viewer.token())
        .get("/api/v1/tokens/self")
        .then()
        .statusCode(200)
        .body("role", equalTo("viewer"));
  }

  @Test
  void anAdminMintsEveryRoleRevokesAnyTokenAndOperates() {
    Tokens.Created admin = Tokens.create("admin");
    given()
        .auth()
        .oauth2(admin.token())
        .get("/api/v1/tokens/self")
        .then()
        .statusCode(200)
        .body("role", equalTo("admin"));
    Map<String, String> minted = new HashMap<>();
    for (String role : List.of("viewer", "operator", "admin")) {
      String name = unique("by-admin-" + role);
      minted.put(
          name,
          create(admin.token(), Map.of("name", name, "role", role))
              .then()
              .statusCode(201)
              .body("role", equalTo(role))
              .extract()
              .path("token"));
      given()
          .auth()
          .oauth2(minted.get(name))
          .get("/api/v1/tokens/self")
          .then()
          .statusCode(200)
          .body("role", equalTo(role));
    }
    assertThat(names()).containsAll(minted.keySet());
    for (var token : minted.entrySet()) {
      revoke(admin.token(), token.getKey()).then().statusCode(204);
      given().auth().oauth2(token.getValue()).get("/api/v1/customers").then().statusCode(401);
    }
    // Everything an operator does: a write outside the token endpoints.
    assertMayWrite(admin.token());
  }

  @Test
  void theLastAdminTokenThatWorksCannotBeRevoked() {
    for (Map<String, Object> token :
        given()
            .auth()
            .oauth2(Tokens.admin())
            .get("/api/v1/tokens")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .<Map<String, Object>>getList(
                "findAll { it.role == 'admin' && it.revokedAt == null }")) {
      if (!token.get("name").equals("admin")) {
        revoke(Tokens.admin(), (String) token.get("name")).then().statusCode(204);
      }
    }
    revoke(Tokens.admin(), "admin")
        .then()
        .statusCode(409)
        .body("detail", containsString("last admin"));
    given().auth().oauth2(Tokens.admin()).get("/api/v1/tokens/self").then().statusCode(200);
  }

  @Test
  void listShowsEveryTokenWithItsCreatorExpiryAndLastUseButNoValueAndOnlyToAdmins() {
    Tokens.Created viewer = Tokens.create("viewer");
    Tokens.Created unused = Tokens.create("viewer");
    Instant beforeUse = Instant.now().minusSeconds(5);
    given().auth().oauth2(viewer.token()).get("/api/v1/tokens/self").then().statusCode(200);
    String body =
        given()
            .auth()
            .oauth2(Tokens.admin())
            .get("/api/v1/tokens")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    JsonPath list = JsonPath.from(body);
    Map<String, Object> entry = list.getMap("find { it.name == '" + viewer.name() + "' }");
    assertThat(entry)
        .containsEntry("role", "viewer")
        .containsEntry("createdBy", "admin")
        .containsKeys("createdAt", "expiresAt");
    assertThat(entry.get("expiresAt")).isNotNull();
    assertThat(Instant.parse((String) entry.get("lastUsedAt"))).isAfter(beforeUse);
    assertThat(list.getMap("find { it.name == '" + unused.name() + "' }").get("lastUsedAt"))
        .as("a token never presented has no last use")
        .isNull();
    assertThat(list.getMap("find { it.name == 'admin' }").get("expiresAt")).isNull();
    assertThat(list.getMap("find { it.name == 'admin' }").get("lastUsedAt")).isNotNull();
    assertThat(body)
        .doesNotContain(viewer.token())
        .doesNotContain(TokenHash.of(viewer.token()))
        .doesNotContain(Tokens.admin());

    given().auth().oauth2(viewer.token()).get("/api/v1/tokens").then().statusCode(403);
    given()
        .auth()
        .oauth2(Tokens.create("operator").token())
        .get("/api/v1/tokens")
        .then()
        .statusCode(403);
  }

  /** The test profile sets tokens.default-lifetime=30d and tokens.max-lifetime=120d. */
  @Test
  void aLifetimeOutsideOneDayToTheConfiguredMaximumIsRefusedAndCreatesNothing() {
    for (Object days : List.of(121, 365, 0, -1, "30", 1.5)) {
      String name = unique("lifetime");
      create(Tokens.admin(), Map.of("name", name, "role", "viewer", "expiresInDays", days))
          .then()
          .statusCode(400)
          .body("errors.field", contains("expiresInDays"))
          .body(
              "errors.message",
              contains(containsString(days instanceof Integer ? "from 1 to 120" : "integer")));
      assertThat(names()).as("after expiresInDays=" + days).doesNotContain(name);
    }
    String longest = unique("longest");
    Instant expires =
        Instant.parse(
            create(Tokens.admin(), Map.of("name", longest, "role", "viewer", "expiresInDays", 120))
                .then()
                .statusCode(201)
                .extract()
                .path("expiresAt"));
    assertThat(expires).isBetween(inDays(120).minusSeconds(60), inDays(120).plusSeconds(60));
  }

  @Test
  void aTokenWithoutALifetimeGetsTheConfiguredDefaultAndTheDocumentStatesBoth() {
    Instant expires =
        Instant.parse(
            create(Tokens.admin(), Map.of("name", unique("default"), "role", "viewer"))
                .then()
                .statusCode(201)
                .extract()
                .path("expiresAt"));
    assertThat(expires).isBetween(inDays(30).minusSeconds(60), inDays(30).plusSeconds(60));

    JsonNode days = ServedDocument.body("POST", "/api/v1/tokens").at("/properties/expiresInDays");
    assertThat(days.path("maximum").asInt()).isEqualTo(120);
    assertThat(days.path("default").asInt()).isEqualTo(30);
    assertThat(days.path("minimum").asInt()).isEqualTo(1);
  }

  /**
   * A customer write passes the token's role check: a suspend of a customer that does not exist is
   * answered 404 by the resource, not 403 (and needs no broker).
   */
  private static void assertMayWrite(String token) {
    given()
        .auth()
        .oauth2(token)
        .post("/api/v1/customers/" + TestCustomers.id("nobody") + "/suspend")
        .then()
        .statusCode(404);
  }

  private static Instant inDays(int days) {
    return Instant.now().plus(Duration.ofDays(days));
  }

  private static io.restassured.response.Response create(String token, Map<String, ?> body) {
    RequestSpecification request =
        given().auth().oauth2(token).contentType("application/json").body(body);
    return request.post("/api/v1/tokens");
  }

  private static io.restassured.response.Response revoke(String token, String name) {
    return given().auth().oauth2(token).delete("/api/v1/tokens/" + name);
  }

  private static List<String> names() {
    return given()
        .auth()
        .oauth2(Tokens.admin())
        .get("/api/v1/tokens")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("name", String.class);
  }

  private static String unique(String purpose) {
    return purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
