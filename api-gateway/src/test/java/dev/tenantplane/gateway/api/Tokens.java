package dev.tenantplane.gateway.api;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/** Tokens for tests: the admin token the gateway wrote at start, and fresh ones made with it. */
public final class Tokens {
  private Tokens() {}

  /** The test profile's admin token file (see application.properties). */
  public static String admin() {
    try {
      return Files.readString(Path.of("target/admin-token")).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A token made through the API: its name and the token itself. */
  public record Created(String name, String token) {
    /** GET {@code path} with this token, asserting 200; the answer's JSON. */
    public JsonPath read(String path) {
      return given().auth().oauth2(token).get(path).then().statusCode(200).extract().jsonPath();
    }
  }

  /** A new token with {@code role}, created through the API. */
  public static Created create(String role) {
    String name = role + "-" + UUID.randomUUID().toString().substring(0, 8);
    String token =
        given()
            .auth()
            .oauth2(admin())
            .contentType("application/json")
            .body(Map.of("name", name, "role", role))
            .post("/api/v1/tokens")
            .then()
            .statusCode(201)
            .extract()
            .path("token");
    return new Created(name, token);
  }
}
