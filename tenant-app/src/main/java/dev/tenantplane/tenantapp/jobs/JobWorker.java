package dev.tenantplane.tenantapp.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tenantplane.tenantapp.TenantAppSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Takes one job at a time off the queue and runs it with the handler of its kind. A failing job is
 * tried again after its kind's back-off (doubling each time) until it has failed its kind's {@code
 * max-attempts}, then it is parked in the failed set with its last error and its row says {@code
 * failed}. A job is never dropped.
 */
@ApplicationScoped
public class JobWorker {
  private static final Logger LOG = Logger.getLogger(JobWorker.class);
  private static final int MAX_BACKOFF_DOUBLINGS = 16;

  private final JobQueue queue;
  private final JobRows rows;
  private final TenantAppSettings settings;
  private final Map<String, JobHandler> handlers;
  private final AtomicReference<String> inHand = new AtomicReference<>();
  private volatile Instant lastCompletedAt;

  public JobWorker(
      JobQueue queue, JobRows rows, Instance<JobHandler> handlers, TenantAppSettings settings) {
    this.queue = queue;
    this.rows = rows;
    this.settings = settings;
    this.handlers =
        handlers.stream().collect(Collectors.toMap(JobHandler::kind, Function.identity()));
    for (String kind : this.handlers.keySet()) {
      if (!settings.jobs().kind().containsKey(kind)) {
        throw new IllegalStateException(
            "no tenantplane.tenant-app.jobs.kind.\"" + kind + "\".* settings");
      }
    }
  }

  /** Whether jobs of this kind can be run. */
  public boolean knows(String kind) {
    return handlers.containsKey(kind);
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

  /** The job being run, as it is in Redis; null when none. */
  public String inHand() {
    return inHand.get();
  }

  /** When the last job finished (done or parked); null before the first. */
  public Instant lastCompletedAt() {
    return lastCompletedAt;
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
      JobHandler handler = handlers.get(job.kind());
      if (handler == null) {
        throw new IllegalArgumentException("unknown job kind " + job.kind());
      }
      handler.run(job);
      queue.done(raw);
      lastCompletedAt = Instant.now();
      log(job, attempt, "done", started, null);
    } catch (RuntimeException e) {
      String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      TenantAppSettings.KindPolicy policy = settings.jobs().kind().get(job.kind());
      if (policy == null || attempt >= policy.maxAttempts()) {
        queue.park(raw, job.failedAttempt(error, 0));
        recordFailure(job, attempt, error);
        lastCompletedAt = Instant.now();
        log(job, attempt, "parked", started, error);
      } else {
        Duration backoff =
            policy.backoff().multipliedBy(1L << Math.min(attempt - 1, MAX_BACKOFF_DOUBLINGS));
        queue.retry(raw, job.failedAttempt(error, System.currentTimeMillis() + backoff.toMillis()));
        log(job, attempt, "retry backoff_ms=" + backoff.toMillis(), started, error);
      }
    }
  }

  private void recordFailure(JobMessage job, int attempt, String error) {
    try {
      rows.failed(job, attempt, error);
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
            "customer=%s step=job job=%s kind=%s organization=%s attempt=%d run=%d outcome=%s"
                + " millis=%d",
            settings.customerId(),
            job.jobId(),
            job.kind(),
            job.organizationId(),
            attempt,
            job.runs() + 1,
            outcome,
            millis);
    if (error == null) {
      LOG.info(line);
    } else {
      LOG.warn(line + " reason=\"" + error + "\"");
    }
  }
}
