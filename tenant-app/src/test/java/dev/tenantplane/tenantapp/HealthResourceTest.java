package dev.tenantplane.tenantapp;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.matchesPattern;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(HealthResourceTest.AcmeProfile.class)
class HealthResourceTest {

  public static class AcmeProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("tenant.customer-id", "acme-corp");
    }
  }

  @Test
  void answersTheSeedHealthJson() {
    given()
        .when()
        .get("/api/health")
        .then()
        .statusCode(200)
        .body("status", equalTo("healthy"))
        .body("customer", equalTo("acme-corp"))
        .body("environment", equalTo("production"))
        .body("timestamp", matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.*Z"))
        .body("uptime", greaterThan(0f));
  }
}
