package dev.tenantplane.gateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.gateway.auth.ApiTokens;
import dev.tenantplane.gateway.auth.Role;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(WriteRateLimitIT.ThreeWritesPerMinute.class)
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres,redis"))
class WriteRateLimitIT {

  public static class ThreeWritesPerMinute implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("tenantplane.gateway.writes-per-minute", "3");
    }
  }

  @Inject ApiTokens tokens;
  @Inject RedisDataSource redis;

  @Test
  void writesPastTheLimitAre429WithRetryAfterWhileReadsGoOn() {
    // Made directly, not through the API: the admin token may have used up this minute already.
    String name = "limited-" + UUID.randomUUID().toString().substring(0, 8);
    String token =
        tokens
            .create(name, Role.OPERATOR, Instant.now().plus(Duration.ofHours(1)), "test")
            .orElseThrow();
    // The window is a calendar minute, so the writes may straddle two of them: then the limit
    // (three) is reached in the second one, at the seventh write at the latest.
    Response last = null;
    int accepted = 0;
    for (int i = 0; i < 7; i++) {
      last =
          given()
              .auth()
              .oauth2(token)
              .contentType("application/json")
              .body(Map.of("maxConcurrency", 1))
              .post("/api/v1/fleet/migrations");
      if (last.statusCode() == 429) {
        break;
      }
      assertThat(last.statusCode()).isEqualTo(202);
      accepted++;
    }

    last.then().statusCode(429).contentType("application/problem+json");
    assertThat(accepted).as("writes accepted before the 429").isBetween(3, 6);
    assertThat(Integer.parseInt(last.header("Retry-After"))).isBetween(1, 60);
    given().auth().oauth2(token).get("/api/v1/customers").then().statusCode(200);
    var counters = redis.key().keys("api-gateway:writes:" + name + ":*");
    assertThat(counters).isNotEmpty();
    for (String counter : counters) {
      assertThat(redis.key().ttl(counter)).as("expiry of %s", counter).isBetween(1L, 120L);
    }
  }
}
