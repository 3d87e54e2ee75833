package dev.tenantplane.tenantapp.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tenantplane.tenantapp.TenantAppSettings;
import dev.tenantplane.tenantapp.jobs.JobQueue;
import dev.tenantplane.tenantapp.jobs.QueueStats;
import dev.tenantplane.tenantapp.jobs.WorkerHeartbeat;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;

/** The seed's health endpoint: the contract the health-monitor and operators rely on. */
@Path("/api/health")
public class HealthResource {
  private final TenantAppSettings settings;
  private final Pool database;
  private final JobQueue queue;

  public HealthResource(TenantAppSettings settings, Pool database, JobQueue queue) {
    this.settings = settings;
    this.database = database;
    this.queue = queue;
  }

  /**
   * The seed's JSON; {@code uptime} in seconds since the process started; {@code failing} names the
   * components that do not answer (absent when none); {@code worker} and {@code queue} what the
   * customer's Redis says of the worker and the job queue (absent when Redis does not answer). The
   * worker does not change the HTTP status: the app serves without it, and the health-monitor
   * judges it on its own.
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record HealthReport(
      String status,
      Instant timestamp,
      String customer,
      String environment,
      double uptime,
      List<String> failing,
      WorkerReport worker,
      QueueReport queue) {}

  /**
   * The worker as its heartbeat in Redis tells: {@code alive} while a beat counts, else {@code
   * missing}.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record WorkerReport(String status, Instant beatAt, Instant lastCompletedAt) {
    static WorkerReport of(WorkerHeartbeat.Beat beat) {
      return beat == null
          ? new WorkerReport("missing", null, null)
          : new WorkerReport("alive", beat.beatAt(), beat.lastCompletedAt());
    }
  }

  public record QueueReport(
      long waiting, long delayed, long running, long failed, double oldestWaitingSeconds) {
    static QueueReport of(QueueStats stats) {
      return new QueueReport(
          stats.waiting(),
          stats.delayed(),
          stats.running(),
          stats.failed(),
          stats.oldestWaitingSeconds());
    }
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Uni<Response> health() {
    Uni<Boolean> databaseUp = probe(database.query("SELECT 1").execute().replaceWith(true));
    // The queue's one script answers for Redis too: no answer, no queue to report.
    Uni<QueueStats> queueStats =
        queue
            .stats()
            .ifNoItem()
            .after(settings.healthTimeout())
            .fail()
            .onFailure()
            .recoverWithNull();
    return Uni.combine()
        .all()
        .unis(databaseUp, queueStats)
        .with(
            (db, stats) -> {
              Health health = Health.of(db, stats != null);
              double uptime = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
              HealthReport report =
                  new HealthReport(
                      health.status(),
                      Instant.now(),
                      settings.customerId(),
                      settings.environment(),
                      uptime,
                      health.failing(),
                      stats == null ? null : WorkerReport.of(stats.heartbeat()),
                      stats == null ? null : QueueReport.of(stats));
              return Response.status(health.httpStatus()).entity(report).build();
            });
  }

  private Uni<Boolean> probe(Uni<Boolean> check) {
    return check
        .ifNoItem()
        .after(settings.healthTimeout())
        .fail()
        .onFailure()
        .recoverWithItem(false);
  }
}
