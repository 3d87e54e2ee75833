package dev.tenantplane.tenantapp;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tenantplane.tenantapp.jobs.DealSummaryJob;
import dev.tenantplane.tenantapp.jobs.JobMessage;
import dev.tenantplane.tenantapp.jobs.JobQueue;
import dev.tenantplane.tenantapp.jobs.JobSweep;
import dev.tenantplane.tenantapp.jobs.JobWorker;
import dev.tenantplane.tenantapp.jobs.WorkerHeartbeat;
import dev.tenantplane.tenantapp.jobs.WorkerLoop;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * A job is never lost between the API, Redis and the worker: queued only once its row is committed,
 * queued by the sweep when the request stopped after the commit, and finished or returned to the
 * queue when the worker is stopped while it holds it.
 */
@QuarkusTest
@QuarkusTestResource(value = TenantStackResource.class, restrictToAnnotatedClass = true)
class JobDeliveryIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(50);

  @Inject JobWorker worker;
  @Inject JobQueue queue;
  @Inject JobSweep sweep;
  @Inject TenantAppSettings settings;
  @Inject WorkerHeartbeat heartbeat;

  /** Each test starts with no note and no queued job left by another. */
  @BeforeEach
  void settleAndDrain() {
    sweep.sweep(Duration.ZERO);
    processUntilQueueIsEmpty();
  }

  @Test
  void submittedJobIsQueuedWithItsRowCommittedAndLeavesNothingForTheSweep() throws Exception {
    UUID job = submit();

    assertThat(queuedIds()).contains(job);
    assertThat(status(job)).isEqualTo("queued");
    assertThat(sweep.sweep(Duration.ZERO)).isEqualTo(new JobSweep.Swept(0, 0));
    processUntilQueueIsEmpty();
    assertThat(status(job)).isEqualTo("done");
  }

  @Test
  void submissionWhileRedisDoesNotAnswerFailsAndWritesNoRow() throws Exception {
    long rowsBefore = jobRows();
    var docker = DockerClientFactory.instance().client();
    String redis = TenantStackResource.redis.getContainerId();
    docker.pauseContainerCmd(redis).exec();
    try {
      given()
          .auth()
          .oauth2(token())
          .contentType(ContentType.JSON)
          .body(Map.of("kind", DealSummaryJob.KIND))
          .post("/api/jobs")
          .then()
          .statusCode(503);
    } finally {
      docker.unpauseContainerCmd(redis).exec();
    }
    assertThat(jobRows()).isEqualTo(rowsBefore);
  }

  @Test
  void jobCommittedButNeverQueuedIsQueuedByTheSweepOnceAndRun() throws Exception {
    UUID job = UUID.randomUUID();
    insertRow(job);
    JobMessage message = TenantStackResource.dealSummary(job);
    queue.intend(message).await().atMost(WAIT);
    assertThat(queuedIds()).doesNotContain(job);

    assertThat(sweep.sweep(Duration.ZERO)).isEqualTo(new JobSweep.Swept(1, 0));
    assertThat(sweep.sweep(Duration.ZERO)).isEqualTo(new JobSweep.Swept(0, 0));

    assertThat(queuedIds()).containsOnlyOnce(job);
    processUntilQueueIsEmpty();
    assertThat(status(job)).isEqualTo("done");
  }

  @Test
  void noteOfAJobWhoseRowNeverCommittedIsDroppedBySweep() throws Exception {
    UUID job = UUID.randomUUID();
    queue.intend(TenantStackResource.dealSummary(job)).await().atMost(WAIT);

    assertThat(sweep.sweep(Duration.ZERO)).isEqualTo(new JobSweep.Swept(0, 1));
    assertThat(queuedIds()).doesNotContain(job);
    assertThat(queue.unconfirmedOlderThan(Duration.ZERO)).isEmpty();
  }

  @Test
  void workerStoppedWhileHoldingAJobLetsItFinishWithinTheGracePeriod() throws Exception {
    UUID job = submit();
    WorkerLoop loop = new WorkerLoop(worker, queue, sweep, heartbeat, settings);
    try (Connection lock = lockRow(job)) {
      loop.start();
      await("the worker takes the job")
          .atMost(WAIT)
          .pollInterval(POLL)
          .until(() -> queue.processingCount() == 1);

      CompletableFuture<Void> stopping =
          CompletableFuture.runAsync(() -> loop.stop(Duration.ofSeconds(30)));
      await("the worker is stopping").atMost(WAIT).pollInterval(POLL).until(() -> !loop.running());
      assertThat(stopping).isNotDone();
      lock.rollback();
      stopping.get();
    }

    assertThat(status(job)).isEqualTo("done");
    assertThat(queue.processingCount()).isZero();
    assertThat(queuedIds()).doesNotContain(job);
  }

  @Test
  void workerStoppedWhileAJobOutlastsTheGracePeriodReturnsItToTheQueue() throws Exception {
    UUID job = submit();
    WorkerLoop loop = new WorkerLoop(worker, queue, sweep, heartbeat, settings);
    try (Connection lock = lockRow(job)) {
      loop.start();
      await("the worker takes the job")
          .atMost(WAIT)
          .pollInterval(POLL)
          .until(() -> queue.processingCount() == 1);

      loop.stop(Duration.ofSeconds(1));

      assertThat(queue.processingCount()).isZero();
      assertThat(queuedIds()).containsOnlyOnce(job);
      lock.rollback();
    }
    processUntilQueueIsEmpty();
    assertThat(status(job)).isEqualTo("done");
  }

  private UUID submit() {
    String id =
        given()
            .auth()
            .oauth2(token())
            .contentType(ContentType.JSON)
            .body(Map.of("kind", DealSummaryJob.KIND))
            .post("/api/jobs")
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    return UUID.fromString(id);
  }

  private List<UUID> queuedIds() {
    return queue.queuedJobs().stream().filter(Objects::nonNull).map(JobMessage::jobId).toList();
  }

  /** Holds the job's row locked, so the worker's update of it waits: a job that takes long. */
  private static Connection lockRow(UUID job) throws SQLException {
    Connection owner = TenantStackResource.asOwner();
    owner.setAutoCommit(false);
    try (PreparedStatement lock =
        owner.prepareStatement("SELECT id FROM jobs WHERE id = ? FOR UPDATE")) {
      lock.setObject(1, job);
      lock.executeQuery().close();
    }
    return owner;
  }

  private static void insertRow(UUID job) throws SQLException {
    try (Connection owner = TenantStackResource.asOwner();
        PreparedStatement insert =
            owner.prepareStatement(
                "INSERT INTO jobs (id, organization_id, kind) VALUES (?, ?, ?)")) {
      insert.setObject(1, job);
      insert.setObject(2, TenantStackResource.organizationA);
      insert.setString(3, DealSummaryJob.KIND);
      insert.executeUpdate();
    }
  }

  private static String status(UUID job) throws SQLException {
    try (Connection owner = TenantStackResource.asOwner();
        PreparedStatement query = owner.prepareStatement("SELECT status FROM jobs WHERE id = ?")) {
      query.setObject(1, job);
      try (ResultSet rs = query.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static long jobRows() throws SQLException {
    try (Connection owner = TenantStackResource.asOwner();
        PreparedStatement query = owner.prepareStatement("SELECT count(*) FROM jobs");
        ResultSet rs = query.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void processUntilQueueIsEmpty() {
    QueueDrain.drain(queue, worker, WAIT);
  }

  private static String token() {
    return TenantStackResource.token(TenantStackResource.organizationA);
  }
}
