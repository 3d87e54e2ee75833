package dev.tenantplane.tenantapp.jobs;

import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Recomputes an organization's deal summary (count and total per stage) and records it as the job's
 * result, in one transaction. Running it twice records the same result: safe to retry.
 */
@ApplicationScoped
public class DealSummaryJob implements JobHandler {
  public static final String KIND = "deal-summary";

  private final JobRows rows;

  public DealSummaryJob(JobRows rows) {
    this.rows = rows;
  }

  @Override
  public String kind() {
    return KIND;
  }

  /**
   * @throws IllegalStateException when the job's row is not there (e.g. its organization is gone)
   */
  @Override
  public void run(JobMessage job) {
    rows.inJobsOrganization(
        job,
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
                                      .put("total", row.getBigDecimal("total").toPlainString())));
                      return summary;
                    })
                .chain(summary -> JobRows.recordDone(connection, job, summary)));
  }
}
