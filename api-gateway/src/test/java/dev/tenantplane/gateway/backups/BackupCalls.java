package dev.tenantplane.gateway.backups;

import static io.restassured.RestAssured.given;

import dev.tenantplane.gateway.api.Tokens;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/** The backup endpoints as the backup tests call them. */
public final class BackupCalls {
  private BackupCalls() {}

  /** {@code POST /customers/{id}/backups} with {@code token}, expecting {@code status}. */
  public static ExtractableResponse<Response> request(Tokens.Created token, String id, int status) {
    return given()
        .auth()
        .oauth2(token.token())
        .contentType("application/json")
        .post(of(id))
        .then()
        .statusCode(status)
        .extract();
  }

  /** The path of customer {@code id}'s backups. */
  public static String of(String id) {
    return "/api/v1/customers/" + id + "/backups";
  }
}
