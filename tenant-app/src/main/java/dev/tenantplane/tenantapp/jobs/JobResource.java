package dev.tenantplane.tenantapp.jobs;

import dev.tenantplane.tenantapp.auth.OrgToken;
import dev.tenantplane.tenantapp.auth.Tokens;
import dev.tenantplane.tenantapp.db.OrgTransactions;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/** Submits background jobs of the caller's organization and reports on them. */
@Path("/api/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {
  private final Tokens tokens;
  private final OrgTransactions transactions;
  private final JobSubmissions submissions;

  public JobResource(Tokens tokens, OrgTransactions transactions, JobSubmissions submissions) {
    this.tokens = tokens;
    this.transactions = transactions;
    this.submissions = submissions;
  }

  public record NewJob(String kind) {}

  public record Job(
      UUID id, String kind, String status, int attempts, Object result, String error) {
    static Job of(Row row) {
      Object result = row.getValue("result");
      return new Job(
          row.getUUID("id"),
          row.getString("kind"),
          row.getString("status"),
          row.getInteger("attempts"),
          result == null ? null : ((JsonObject) result).getMap(),
          row.getString("error"));
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
    if (body == null || !DealSummaryJob.KIND.equals(body.kind())) {
      throw new BadRequestException("kind must be " + DealSummaryJob.KIND);
    }
    return submissions
        .submit(token.organizationId(), body.kind())
        .onFailure(QueueUnavailableException.class)
        .transform(e -> new ServiceUnavailableException(e.getMessage()))
        .map(id -> Response.accepted(new Job(id, body.kind(), "queued", 0, null, null)).build());
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
                .preparedQuery(
                    "SELECT id, kind, status, attempts, result, error FROM jobs WHERE id = $1")
                .execute(Tuple.of(id))
                .map(
                    rows -> {
                      if (rows.size() == 0) {
                        throw new NotFoundException("no such job");
                      }
                      return Job.of(rows.iterator().next());
                    }));
  }
}
