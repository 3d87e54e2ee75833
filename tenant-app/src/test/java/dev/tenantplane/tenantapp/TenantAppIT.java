package dev.tenantplane.tenantapp;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import dev.tenantplane.tenantapp.jobs.DealSummaryJob;
import dev.tenantplane.tenantapp.jobs.JobMessage;
import dev.tenantplane.tenantapp.jobs.JobQueue;
import dev.tenantplane.tenantapp.jobs.JobWorker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

@QuarkusTest
@QuarkusTestResource(value = TenantStackResource.class, restrictToAnnotatedClass = true)
class TenantAppIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject JobWorker worker;
  @Inject JobQueue queue;

  @Test
  void healthAnswersTheSeedJsonWhenDatabaseAndRedisAnswer() {
    given()
        .get("/api/health")
        .then()
        .statusCode(200)
        .body("status", equalTo("healthy"))
        .body("customer", equalTo(TenantStackResource.CUSTOMER))
        .body("environment", equalTo("production"))
        .body("timestamp", matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.*Z"))
        .body("uptime", greaterThan(0f));
  }

  @Test
  void healthIs503NamingRedisWhileRedisDoesNotAnswer() {
    var docker = DockerClientFactory.instance().client();
    String redis = TenantStackResource.redis.getContainerId();
    docker.pauseContainerCmd(redis).exec();
    try {
      given()
          .get("/api/health")
          .then()
          .statusCode(503)
          .body("status", equalTo("degraded"))
          .body("failing", hasItem("redis"))
          .body("failing", not(hasItem("database")));
    } finally {
      docker.unpauseContainerCmd(redis).exec();
    }
    awaitHealthy();
  }

  @Test
  void requestsWithoutAValidTokenAreRefused() {
    given().get("/api/deals").then().statusCode(401);
    String forged =
        TestTokens.forOrganization(
            "a-secret-that-is-not-this-customers-secret",
            TenantStackResource.organizationA,
            Instant.now().plusSeconds(60));
    given().auth().oauth2(forged).get("/api/deals").then().statusCode(401);
  }

  @Test
  void rowLevelSecurityKeepsOrganizationsApart() {
    String tokenA = TenantStackResource.token(TenantStackResource.organizationA);
    String tokenB = TenantStackResource.token(TenantStackResource.organizationB);
    String dealOfB = createDeal(tokenB, "B's secret deal", "5000");
    String dealOfA = createDeal(tokenA, "A's deal", "100");

    given().auth().oauth2(tokenA).get("/api/deals/" + dealOfB).then().statusCode(404);
    given().auth().oauth2(tokenA).delete("/api/deals/" + dealOfB).then().statusCode(404);
    given()
        .auth()
        .oauth2(tokenA)
        .get("/api/deals")
        .then()
        .statusCode(200)
        .body("id", hasItem(dealOfA))
        .body("id", not(hasItem(dealOfB)));
    given()
        .auth()
        .oauth2(tokenB)
        .get("/api/deals/" + dealOfB)
        .then()
        .statusCode(200)
        .body("title", equalTo("B's secret deal"));
    given()
        .auth()
        .oauth2(tokenA)
        .get("/api/organization")
        .then()
        .statusCode(200)
        .body("slug", equalTo("org-a"));
  }

  @Test
  void invalidInputIsRefusedBeforeTheDatabase() {
    String tokenA = TenantStackResource.token(TenantStackResource.organizationA);
    given()
        .auth()
        .oauth2(tokenA)
        .contentType(ContentType.JSON)
        .body(Map.of("title", "x", "amount", "-1"))
        .post("/api/deals")
        .then()
        .statusCode(400);
    given()
        .auth()
        .oauth2(tokenA)
        .contentType(ContentType.JSON)
        .body(Map.of("title", "x", "stage", "bribed"))
        .post("/api/deals")
        .then()
        .statusCode(400);
  }

  @Test
  void submittedJobIsRunByTheWorkerAndRecordsTheDealSummary() {
    String tokenA = TenantStackResource.token(TenantStackResource.organizationA);
    createDeal(tokenA, "Summarised deal", "250.50");
    String jobId =
        given()
            .auth()
            .oauth2(tokenA)
            .contentType(ContentType.JSON)
            .body(Map.of("kind", DealSummaryJob.KIND))
            .post("/api/jobs")
            .then()
            .statusCode(202)
            .extract()
            .path("id");

    assertThat(processUntilQueueIsEmpty()).isGreaterThanOrEqualTo(1);
    Response job = given().auth().oauth2(tokenA).get("/api/jobs/" + jobId);
    job.then().statusCode(200).body("status", equalTo("done")).body("attempts", equalTo(1));
    assertThat(job.jsonPath().getInt("result.lead.deals")).isGreaterThanOrEqualTo(1);
    given()
        .auth()
        .oauth2(TenantStackResource.token(TenantStackResource.organizationB))
        .get("/api/jobs/" + jobId)
        .then()
        .statusCode(404);
  }

  @Test
  void failingJobIsRetriedThenParkedInTheDeadList() {
    UUID missingJob = UUID.randomUUID();
    queue
        .intend(TenantStackResource.dealSummary(missingJob))
        .chain(queue::confirm)
        .await()
        .atMost(WAIT);

    processUntilQueueIsEmpty();

    JobMessage parked =
        queue.deadJobs().stream()
            .filter(j -> j != null && missingJob.equals(j.jobId()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("job " + missingJob + " was not parked"));
    assertThat(parked.attempts()).isEqualTo(3);
    assertThat(parked.lastError()).contains("not found");
  }

  @Test
  void jobLeftInProcessingByAStoppedWorkerIsQueuedAgainAtStart() {
    UUID job = UUID.randomUUID();
    queue.intend(TenantStackResource.dealSummary(job)).chain(queue::confirm).await().atMost(WAIT);
    assertThat(queue.take(Duration.ofSeconds(5))).isPresent();
    assertThat(queue.queuedCount()).isZero();

    assertThat(queue.recover()).isEqualTo(1);

    assertThat(queue.queuedCount()).isEqualTo(1);
    processUntilQueueIsEmpty();
  }

  private int processUntilQueueIsEmpty() {
    return QueueDrain.drain(queue, worker, WAIT);
  }

  private static String createDeal(String token, String title, String amount) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(Map.of("title", title, "amount", amount))
        .post("/api/deals")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  private static void awaitHealthy() {
    Instant deadline = Instant.now().plus(WAIT);
    while (given().get("/api/health").statusCode() != 200) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not healthy again within " + WAIT);
      }
    }
  }
}
