package dev.tenantplane.tenantapp.jobs;

import dev.tenantplane.tenantapp.db.OrgTransactions;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Function;

/** The {@code jobs} rows the worker writes: a job's result, its final failure, its retry. */
@ApplicationScoped
public class JobRows {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final OrgTransactions transactions;

  public JobRows(OrgTransactions transactions) {
    this.transactions = transactions;
  }

  /**
   * Inside the job's organization transaction: the job is done with {@code result}.
   *
   * @throws IllegalStateException (in the Uni) when its row is not there, e.g. its organization is
   *     gone
   */
  public static Uni<Void> recordDone(SqlConnection connection, JobMessage job, JsonObject result) {
    return connection
        .preparedQuery(
            "UPDATE jobs SET status = 'done', result = $1, attempts = $2, error = NULL,"
                + " updated_at = now() WHERE id = $3")
        .execute(Tuple.of(result, job.attempts() + 1, job.jobId()))
        .map(
            updated -> {
              if (updated.rowCount() == 0) {
                throw new IllegalStateException("job " + job.jobId() + " not found");
              }
              return null;
            });
  }

  /** Runs {@code work} in a transaction of the job's organization; blocks, bounded. */
  public <T> T inJobsOrganization(JobMessage job, Function<SqlConnection, Uni<T>> work) {
    return transactions.inOrganization(job.organizationId(), work).await().atMost(TIMEOUT);
  }

  /** Records a job's result in a transaction of its own; blocks. */
  public void done(JobMessage job, JsonObject result) {
    inJobsOrganization(job, connection -> recordDone(connection, job, result));
  }

  /** Records the final failure on the job's row, if it still exists; blocks. */
  public void failed(JobMessage job, int attempts, String error) {
    inJobsOrganization(
        job,
        connection ->
            connection
                .preparedQuery(
                    "UPDATE jobs SET status = 'failed', attempts = $1, error = $2,"
                        + " updated_at = now() WHERE id = $3")
                .execute(Tuple.of(attempts, error, job.jobId())));
  }

  /**
   * Inside the organization's transaction: a failed job is queued again; false when the job is not
   * the organization's or has not failed.
   */
  public static Uni<Boolean> markRetried(SqlConnection connection, UUID jobId) {
    return connection
        .preparedQuery(
            "UPDATE jobs SET status = 'queued', attempts = 0, updated_at = now()"
                + " WHERE id = $1 AND status = 'failed'")
        .execute(Tuple.of(jobId))
        .map(updated -> updated.rowCount() == 1);
  }
}
