package dev.tenantplane.tenantapp.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tenantplane.tenantapp.TenantAppSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Takes one job at a time off the queue and runs it. A failing job goes back to the queue until it
 * has failed {@code max-attempts} times, then it is parked on the dead list with its last error and
 * its row says {@code failed}. A job is never dropped.
 */
@ApplicationScoped
public class JobWorker {
  private static final Logger LOG = Logger.getLogger(JobWorker.class);

  private final JobQueue queue;
  private final DealSummaryJob dealSummary;
  private final TenantAppSettings settings;
  private final AtomicReference<String> inHand = new AtomicReference<>();

  public JobWorker(JobQueue queue, DealSummaryJob dealSummary, TenantAppSettings settings) {
    this.queue = queue;
    this.dealSummary = dealSummary;
    this.settings = settings;
  }

  /** Handles at most one job, waiting up to {@code wait} for one; says whether it found one. */
  public boolean processOne(Duration wait) {
    Optional<String> taken = queue.take(wait);
    if (taken.isEmpty()) {
      return false;
    }
    String raw = taken.get();
    inHand.set(raw);
    try {
      handle(raw);
    } finally {
      inHand.set(null);
    }
    return true;
  }

  /** At shutdown: the job still in hand goes back to the queue for the next worker. */
  public void giveBackInHand() {
    String raw = inHand.getAndSet(null);
    if (raw != null) {
      queue.giveBack(raw);
      LOG.infof("customer=%s step=job outcome=returned-at-shutdown", settings.customerId());
    }
  }

  private void handle(String raw) {
    JobMessage job;
    try {
      job = queue.read(raw);
    } catch (JsonProcessingException e) {
      queue.park(raw, null);
      LOG.warnf(
          "customer=%s step=job outcome=parked reason=\"unreadable job\"", settings.customerId());
      return;
    }
    int attempt = job.attempts() + 1;
    long started = System.nanoTime();
    try {
      if (!DealSummaryJob.KIND.equals(job.kind())) {
        throw new IllegalArgumentException("unknown job kind " + job.kind());
      }
      dealSummary.run(job, attempt);
      queue.done(raw);
      log(job, attempt, "done", started, null);
    } catch (RuntimeException e) {
      String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (attempt >= settings.jobs().maxAttempts()) {
        queue.park(raw, job.retried(attempt, error));
        recordFailure(job, attempt, error);
        log(job, attempt, "parked", started, error);
      } else {
        queue.retry(raw, job.retried(attempt, error));
        log(job, attempt, "retry", started, error);
      }
    }
  }

  private void recordFailure(JobMessage job, int attempt, String error) {
    try {
      dealSummary.recordFailure(job, attempt, error);
    } catch (RuntimeException e) {
      LOG.warnf(
          "customer=%s step=job job=%s outcome=failure-not-recorded reason=\"%s\"",
          settings.customerId(), job.jobId(), e.getMessage());
    }
  }

  private void log(JobMessage job, int attempt, String outcome, long started, String error) {
    long millis = (System.nanoTime() - started) / 1_000_000;
    String line =
        String.format(
            "customer=%s step=job job=%s kind=%s organization=%s attempt=%d outcome=%s millis=%d",
            settings.customerId(),
            job.jobId(),
            job.kind(),
            job.organizationId(),
            attempt,
            outcome,
            millis);
    if (error == null) {
      LOG.info(line);
    } else {
      LOG.warn(line + " reason=\"" + error + "\"");
    }
  }
}
