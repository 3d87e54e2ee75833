package dev.tenantplane.tenantapp.jobs;

import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A job for trying the queue on a live stack: it waits {@code millis} (a job long enough to kill a
 * worker under), then fails its first {@code failRuns} runs (a job that ends in the failed set, and
 * succeeds once retried). Its result says which run completed it.
 */
@ApplicationScoped
public class DiagnosticJob implements JobHandler {
  public static final String KIND = "diagnostic";

  private final JobRows rows;

  public DiagnosticJob(JobRows rows) {
    this.rows = rows;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public void run(JobMessage job) {
    JobParameters parameters = job.parameters() == null ? JobParameters.NONE : job.parameters();
    try {
      Thread.sleep(parameters.millis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    }
    int run = job.runs() + 1;
    if (run <= parameters.failRuns()) {
      throw new IllegalStateException(
          "run " + run + " fails on purpose (failRuns=" + parameters.failRuns() + ")");
    }
    rows.done(job, new JsonObject().put("waitedMillis", parameters.millis()).put("run", run));
  }
}
