package dev.tenantplane.common.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

/**
 * What every service answers once started against a real broker: ready, with its Kafka check up,
 * and Prometheus metrics. A service's {@code *StartsIT} extends this.
 */
public abstract class ServiceSmokeContract {

  @Test
  void isReadyWithKafkaConnected() {
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.name", hasItem(containsString("Kafka")));
  }

  @Test
  void isLive() {
    given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
  }

  @Test
  void servesPrometheusMetrics() {
    given()
        .when()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("# TYPE jvm_memory_used_bytes gauge"));
  }
}
