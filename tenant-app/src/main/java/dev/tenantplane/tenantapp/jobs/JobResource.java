package dev.tenantplane.tenantapp.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tenantplane.tenantapp.auth.OrgToken;
import dev.tenantplane.tenantapp.auth.Tokens;
import dev.tenantplane.tenantapp.db.OrgTransactions;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Submits background jobs of the caller's organization, reports on them, retries failed ones. */
@Path("/api/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {
  static final int MAX_DELAY_SECONDS = 86_400;
  private static final Set<String> STATUSES = Set.of("queued", "running", "done", "failed");
  private static final int LIST_LIMIT = 100;
  private static final String COLUMNS =
      "SELECT id, kind, status, attempts, result, error, updated_at FROM jobs";

  private final Tokens tokens;
  private final OrgTransactions transactions;
  private final JobSubmissions submissions;
  private final JobQueue queue;
  private final JobWorker worker;

  public JobResource(
      Tokens tokens,
      OrgTransactions transactions,
      JobSubmissions submissions,
      JobQueue queue,
      JobWorker worker) {
    this.tokens = tokens;
    this.transactions = transactions;
    this.submissions = submissions;
    this.queue = queue;
    this.worker = worker;
  }

  /**
   * A job to submit: its kind, optionally a delay; {@code millis} and {@code failRuns} only for a
   * {@code diagnostic} job.
   */
  public record NewJob(String kind, Integer delaySeconds, Integer millis, Integer failRuns) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Job(
      UUID id,
      String kind,
      String status,
      int attempts,
      Object result,
      String error,
      OffsetDateTime updatedAt) {
    static Job of(Row row) {
      Object result = row.getValue("result");
      return new Job(
          row.getUUID("id"),
          row.getString("kind"),
          row.getString("status"),
          row.getInteger("attempts"),
          result == null ? null : ((JsonObject) result).getMap(),
          row.getString("error"),
          row.getOffsetDateTime("updated_at"));
    }
  }

  /**
   * 202 once the job's row is committed. The worker only sees it after that (see {@link
   * JobSubmissions}); if Redis does not answer, the caller gets 503 and no row is written.
   */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Response> submit(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, NewJob body) {
    OrgToken token = tokens.organization(authorization);
    if (body == null || body.kind() == null || !worker.knows(body.kind())) {
      throw new BadRequestException(
          "kind must be " + DealSummaryJob.KIND + " or " + DiagnosticJob.KIND);
    }
    int delay = bounded(body.delaySeconds(), "delaySeconds", MAX_DELAY_SECONDS);
    JobParameters parameters = JobParameters.NONE;
    if (DiagnosticJob.KIND.equals(body.kind())) {
      parameters =
          new JobParameters(
              bounded(body.millis(), "millis", JobParameters.MAX_MILLIS),
              bounded(body.failRuns(), "failRuns", JobParameters.MAX_FAIL_RUNS));
    } else if (body.millis() != null || body.failRuns() != null) {
      throw new BadRequestException("millis and failRuns are for " + DiagnosticJob.KIND + " jobs");
    }
    return submissions
        .submit(token.organizationId(), body.kind(), parameters, Duration.ofSeconds(delay))
        .onFailure(QueueUnavailableException.class)
        .transform(e -> new ServiceUnavailableException(e.getMessage()))
        .map(
            id ->
                Response.accepted(new Job(id, body.kind(), "queued", 0, null, null, null)).build());
  }

  /** The organization's jobs, newest first, at most 100; {@code status} narrows them. */
  @GET
  public Uni<List<Job>> list(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @QueryParam("status") String status) {
    OrgToken token = tokens.organization(authorization);
    if (status != null && !STATUSES.contains(status)) {
      throw new BadRequestException("status must be one of " + STATUSES);
    }
    String order = " ORDER BY updated_at DESC LIMIT " + LIST_LIMIT;
    return transactions.inOrganization(
        token.organizationId(),
        connection ->
            connection
                .preparedQuery(COLUMNS + (status == null ? "" : " WHERE status = $1") + order)
                .execute(status == null ? Tuple.tuple() : Tuple.of(status))
                .map(
                    rows -> {
                      List<Job> jobs = new ArrayList<>();
                      rows.forEach(row -> jobs.add(Job.of(row)));
                      return jobs;
                    }));
  }

  @GET
  @Path("{id}")
  public Uni<Job> get(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") UUID id) {
    OrgToken token = tokens.organization(authorization);
    return transactions.inOrganization(
        token.organizationId(),
        connection ->
            connection
                .preparedQuery(COLUMNS + " WHERE id = $1")
                .execute(Tuple.of(id))
                .map(
                    rows -> {
                      if (rows.size() == 0) {
                        throw new NotFoundException("no such job");
                      }
                      return Job.of(rows.iterator().next());
                    }));
  }

  /**
   * A failed job back on the queue for a fresh set of attempts: 202; 409 when it has not failed;
   * 404 when it is not the organization's. The row is marked and the job moved in one transaction,
   * so the worker, whose update of the row waits for it, records its outcome after the mark.
   */
  @POST
  @Path("{id}/retry")
  public Uni<Response> retry(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") UUID id) {
    OrgToken token = tokens.organization(authorization);
    return transactions
        .inOrganization(token.organizationId(), connection -> retryFailed(connection, id))
        .replaceWith(
            () -> Response.accepted(new Job(id, null, "queued", 0, null, null, null)).build());
  }

  private Uni<Void> retryFailed(SqlConnection connection, UUID id) {
    return JobRows.markRetried(connection, id)
        .chain(marked -> marked ? revive(id) : refuse(connection, id));
  }

  /** Moves the marked job back to the queue: 409 when the failed set no longer holds it. */
  private Uni<Void> revive(UUID id) {
    return queue
        .revive(id)
        .onFailure()
        .transform(e -> new ServiceUnavailableException("the job queue does not answer"))
        .invoke(
            moved -> {
              if (!moved) {
                throw notRetryable();
              }
            })
        .replaceWithVoid();
  }

  /** A job that could not be marked has not failed (409) or is not the organization's (404). */
  private static Uni<Void> refuse(SqlConnection connection, UUID id) {
    return exists(connection, id)
        .invoke(
            found -> {
              throw found ? notRetryable() : new NotFoundException("no such job");
            })
        .replaceWithVoid();
  }

  private static Uni<Boolean> exists(SqlConnection connection, UUID id) {
    return connection
        .preparedQuery("SELECT 1 FROM jobs WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() > 0);
  }

  private static ClientErrorException notRetryable() {
    return new ClientErrorException("only a failed job can be retried", Response.Status.CONFLICT);
  }

  private static int bounded(Integer value, String field, int max) {
    if (value == null) {
      return 0;
    }
    if (value < 0 || value > max) {
      throw new BadRequestException(field + " must be between 0 and " + max);
    }
    return value;
  }
}
