package dev.tenantplane.tenantapp.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.UUID;

/**
 * A job as it travels through Redis: which row of {@code jobs} it is, for which organization, what
 * to do, and how it went so far.
 *
 * @param attempts attempts since it was submitted or last retried from the failed set
 * @param runs attempts in all, never reset: a retried job still knows its history
 * @param lastError the error of the last failed attempt
 * @param readyAt when it may run (epoch milliseconds): the time it was queued, or when its delay or
 *     back-off ends; the age of the oldest waiting job is counted from it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobMessage(
    UUID jobId,
    UUID organizationId,
    String kind,
    JobParameters parameters,
    int attempts,
    int runs,
    String lastError,
    long readyAt) {

  public static JobMessage submitted(
      UUID jobId, UUID organizationId, String kind, JobParameters parameters, long readyAt) {
    return new JobMessage(jobId, organizationId, kind, parameters, 0, 0, null, readyAt);
  }

  /** After a failed attempt: counted, with its error, to run again at {@code readyAt}. */
  public JobMessage failedAttempt(String error, long nextReadyAt) {
    return new JobMessage(
        jobId, organizationId, kind, parameters, attempts + 1, runs + 1, error, nextReadyAt);
  }

  /** Out of the failed set for a fresh set of attempts, at once. */
  public JobMessage retried(long now) {
    return new JobMessage(jobId, organizationId, kind, parameters, 0, runs, lastError, now);
  }
}
