package dev.tenantplane.tenantapp.jobs;

import dev.tenantplane.tenantapp.db.OrgTransactions;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Recomputes an organization's deal summary (count and total per stage) and records it as the job's
 * result. Running it twice records the same result: safe to retry.
 */
@ApplicationScoped
public class DealSummaryJob {
  public static final String KIND = "deal-summary";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final OrgTransactions transactions;

  public DealSummaryJob(OrgTransactions transactions) {
    this.transactions = transactions;
  }

  /**
   * @throws IllegalStateException when the job's row is not there (e.g. its organization is gone)
   */
  public void run(JobMessage job, int attempt) {
    transactions
        .inOrganization(
            job.organizationId(),
            connection ->
                connection
                    .preparedQuery(
                        "SELECT stage, count(*) AS deals, coalesce(sum(amount), 0) AS total"
                            + " FROM deals GROUP BY stage ORDER BY stage")
                    .execute()
                    .map(
                        rows -> {
                          JsonObject summary = new JsonObject();
                          rows.forEach(
                              row ->
                                  summary.put(
                                      row.getString("stage"),
                                      new JsonObject()
                                          .put("deals", row.getLong("deals"))
                                          .put(
                                              "total",
                                              row.getBigDecimal("total").toPlainString())));
                          return summary;
                        })
                    .chain(
                        summary ->
                            connection
                                .preparedQuery(
                                    "UPDATE jobs SET status = 'done', result = $1, attempts = $2,"
                                        + " error = NULL, updated_at = now() WHERE id = $3")
                                .execute(Tuple.of(summary, attempt, job.jobId())))
                    .map(
                        updated -> {
                          if (updated.rowCount() == 0) {
                            throw new IllegalStateException("job " + job.jobId() + " not found");
                          }
                          return updated;
                        }))
        .await()
        .atMost(TIMEOUT);
  }

  /** Records the final failure on the job's row, if it still exists. */
  public void recordFailure(JobMessage job, int attempts, String error) {
    transactions
        .inOrganization(
            job.organizationId(),
            connection ->
                connection
                    .preparedQuery(
                        "UPDATE jobs SET status = 'failed', attempts = $1, error = $2,"
                            + " updated_at = now() WHERE id = $3")
                    .execute(Tuple.of(attempts, error, job.jobId())))
        .await()
        .atMost(TIMEOUT);
  }
}
