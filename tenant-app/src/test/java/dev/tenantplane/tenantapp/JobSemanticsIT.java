package dev.tenantplane.tenantapp;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.tenantplane.tenantapp.jobs.DealSummaryJob;
import dev.tenantplane.tenantapp.jobs.DiagnosticJob;
import dev.tenantplane.tenantapp.jobs.JobQueue;
import dev.tenantplane.tenantapp.jobs.JobSweep;
import dev.tenantplane.tenantapp.jobs.JobWorker;
import dev.tenantplane.tenantapp.jobs.WorkerHeartbeat;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a user of a job queue expects: delayed jobs, attempts with back-off, a failed set with the
 * last error that the API retries, a job taken back from a worker that stopped renewing its lease,
 * and the worker and the queue's counts in the health JSON.
 */
@QuarkusTest
@QuarkusTestResource(value = TenantStackResource.class, restrictToAnnotatedClass = true)
class JobSemanticsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject JobWorker worker;
  @Inject JobQueue queue;
  @Inject JobSweep sweep;
  @Inject WorkerHeartbeat heartbeat;

  @BeforeEach
  void drain() {
    sweep.sweep(Duration.ZERO);
    QueueDrain.drain(queue, worker, WAIT);
  }

  @Test
  void delayedJobWaitsOnTheDelayedSetUntilItsTimeThenRuns() {
    String job = submit(Map.of("kind", DealSummaryJob.KIND, "delaySeconds", 2));
    Instant submitted = Instant.now();

    health().then().body("queue.delayed", equalTo(1)).body("queue.waiting", equalTo(0));
    assertThat(queue.promoteDue()).hasValueSatisfying(d -> assertThat(d).isPositive());
    assertThat(worker.processOne(Duration.ofMillis(100))).isFalse();

    QueueDrain.drain(queue, worker, WAIT);
    assertThat(Duration.between(submitted, Instant.now())).isGreaterThan(Duration.ofMillis(1500));
    job(job).then().body("status", equalTo("done"));
  }

  @Test
  void failingAttemptIsTriedAgainAfterItsKindsBackoff() {
    String job = submit(Map.of("kind", DiagnosticJob.KIND, "failRuns", 1));

    assertThat(worker.processOne(Duration.ofSeconds(5))).isTrue();
    assertThat(queue.queuedCount()).isZero();
    assertThat(queue.delayedCount()).isEqualTo(1);

    QueueDrain.drain(queue, worker, WAIT);
    JsonPath done = job(job).then().body("status", equalTo("done")).extract().jsonPath();
    assertThat(done.getInt("result.run")).isEqualTo(2);
    assertThat(done.getInt("attempts")).isEqualTo(2);
  }

  @Test
  void jobOutOfAttemptsIsInTheFailedSetWithItsErrorAndARetryRunsItAgain() {
    String job = submit(Map.of("kind", DiagnosticJob.KIND, "failRuns", 2));
    QueueDrain.drain(queue, worker, WAIT);

    job(job)
        .then()
        .body("status", equalTo("failed"))
        .body("attempts", equalTo(2))
        .body("error", equalTo("run 2 fails on purpose (failRuns=2)"));
    given()
        .auth()
        .oauth2(TenantStackResource.token(TenantStackResource.organizationA))
        .queryParam("status", "failed")
        .get("/api/jobs")
        .then()
        .statusCode(200)
        .body("id", hasItem(job));
    health().then().body("queue.failed", equalTo(1));
    given()
        .auth()
        .oauth2(TenantStackResource.token(TenantStackResource.organizationB))
        .post("/api/jobs/" + job + "/retry")
        .then()
        .statusCode(404);

    retry(job).then().statusCode(202);
    retry(job).then().statusCode(409);
    health().then().body("queue.failed", equalTo(0));
    QueueDrain.drain(queue, worker, WAIT);

    JsonPath done = job(job).then().body("status", equalTo("done")).extract().jsonPath();
    assertThat(done.getInt("result.run")).isEqualTo(3);
    retry(job).then().statusCode(409);
  }

  @Test
  void jobWhoseLeaseRanOutIsTakenBackOnceAndRuns() {
    String job = submit(Map.of("kind", DealSummaryJob.KIND));
    // Taken as by a worker that then froze: nobody renews its lease.
    assertThat(queue.take(Duration.ofSeconds(5))).isPresent();
    assertThat(queue.reclaimExpired()).isZero();
    health().then().body("queue.running", equalTo(1));

    await("the lease runs out")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> queue.reclaimExpired() == 1);
    assertThat(queue.processingCount()).isZero();
    assertThat(queue.queuedCount()).isEqualTo(1);

    QueueDrain.drain(queue, worker, WAIT);
    job(job).then().body("status", equalTo("done"));
  }

  @Test
  void healthReportsTheWorkerAliveWhileItBeatsAndMissingOnceItStops() {
    heartbeat.start();
    try {
      await("the worker is reported alive")
          .atMost(WAIT)
          .until(() -> "alive".equals(health().jsonPath().getString("worker.status")));
      health().then().statusCode(200).body("worker.beatAt", not(equalTo(null)));
    } finally {
      heartbeat.stop();
    }
    await("the worker is reported missing")
        .atMost(WAIT)
        .until(() -> "missing".equals(health().jsonPath().getString("worker.status")));
    // The app serves without its worker: the health-monitor judges the worker on its own.
    health().then().statusCode(200).body("status", equalTo("healthy"));
  }

  @Test
  void badJobRequestsAreRefusedAndQueueNothing() {
    long rowsBefore = jobCount();
    for (Map<String, Object> body :
        new Map[] {
          Map.of("kind", "mine-bitcoin"),
          Map.of("kind", DealSummaryJob.KIND, "delaySeconds", -1),
          Map.of("kind", DealSummaryJob.KIND, "delaySeconds", 86_401),
          Map.of("kind", DealSummaryJob.KIND, "millis", 10),
          Map.of("kind", DiagnosticJob.KIND, "millis", 60_001),
          Map.of("kind", DiagnosticJob.KIND, "failRuns", 11),
          new HashMap<String, Object>()
        }) {
      post(body).then().statusCode(400);
    }
    given()
        .auth()
        .oauth2(TenantStackResource.token(TenantStackResource.organizationA))
        .queryParam("status", "stuck")
        .get("/api/jobs")
        .then()
        .statusCode(400);
    assertThat(jobCount()).isEqualTo(rowsBefore);
    assertThat(queue.queuedCount() + queue.delayedCount()).isZero();
  }

  private static io.restassured.response.Response health() {
    return given().get("/api/health");
  }

  private static io.restassured.response.Response job(String id) {
    return given()
        .auth()
        .oauth2(TenantStackResource.token(TenantStackResource.organizationA))
        .get("/api/jobs/" + id);
  }

  private static io.restassured.response.Response retry(String id) {
    return given()
        .auth()
        .oauth2(TenantStackResource.token(TenantStackResource.organizationA))
        .post("/api/jobs/" + id + "/retry");
  }

  private static long jobCount() {
    return given()
        .auth()
        .oauth2(TenantStackResource.token(TenantStackResource.organizationA))
        .get("/api/jobs")
        .jsonPath()
        .getList("id")
        .size();
  }

  private static String submit(Map<String, Object> body) {
    return post(body).then().statusCode(202).extract().path("id");
  }

  private static io.restassured.response.Response post(Map<String, Object> body) {
    return given()
        .auth()
        .oauth2(TenantStackResource.token(TenantStackResource.organizationA))
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/jobs");
  }
}
