package dev.tenantplane.gateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.testing.InfrastructureResource;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Tokens expire, only the admin token makes operators, and their list never shows a value. */
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
        .body("detail", org.hamcrest.Matchers.containsString("expired"));
  }

  @Test
  void onlyTheAdminTokenCreatesOrRevokesOperatorTokens() {
    Tokens.Created operator = Tokens.create("operator");
    Tokens.Created other = Tokens.create("operator");
    String refused = unique("minted");

    create(operator.token(), Map.of("name", refused, "role", "operator")).then().statusCode(403);
    assertThat(names()).doesNotContain(refused);
    revoke(operator.token(), other.name()).then().statusCode(403);
    given().auth().oauth2(other.token()).get("/api/v1/customers").then().statusCode(200);

    String viewer = unique("made-by-operator");
    create(operator.token(), Map.of("name", viewer, "role", "viewer")).then().statusCode(201);
    revoke(operator.token(), viewer).then().statusCode(204);
    revoke(Tokens.admin(), other.name()).then().statusCode(204);
    given().auth().oauth2(other.token()).get("/api/v1/customers").then().statusCode(401);
  }

  @Test
  void listShowsEveryTokenWithItsCreatorExpiryAndLastUseButNoValueAndOnlyToOperators() {
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
  }

  @Test
  void aLifetimeOutsideOneToThreeHundredSixtyFiveDaysIsRefusedAndCreatesNothing() {
    for (Object days : List.of(0, 366, -1, "30", 1.5)) {
      String name = unique("lifetime");
      create(Tokens.admin(), Map.of("name", name, "role", "viewer", "expiresInDays", days))
          .then()
          .statusCode(400)
          .body("errors.field", org.hamcrest.Matchers.contains("expiresInDays"));
      assertThat(names()).as("after expiresInDays=" + days).doesNotContain(name);
    }
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
