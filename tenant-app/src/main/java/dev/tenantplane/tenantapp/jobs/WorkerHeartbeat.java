package dev.tenantplane.tenantapp.jobs;

import dev.tenantplane.tenantapp.TenantAppSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The worker's sign of life, every {@code jobs.heartbeat-interval} on a thread of its own: a {@link
 * Beat} in the customer's Redis that counts for {@code jobs.heartbeat-ttl} (the app's health
 * reports the worker missing without one), and a renewed lease on the job in hand, so a long job is
 * not taken from a live worker.
 */
@ApplicationScoped
public class WorkerHeartbeat {
  private static final Logger LOG = Logger.getLogger(WorkerHeartbeat.class);

  /** What the heartbeat says: when it was written, since when the worker runs, its last job. */
  public record Beat(Instant beatAt, Instant startedAt, Instant lastCompletedAt) {}

  private final JobQueue queue;
  private final JobWorker worker;
  private final TenantAppSettings settings;
  private ScheduledExecutorService timer;
  private Instant startedAt;

  public WorkerHeartbeat(JobQueue queue, JobWorker worker, TenantAppSettings settings) {
    this.queue = queue;
    this.worker = worker;
    this.settings = settings;
  }

  public synchronized void start() {
    startedAt = Instant.now();
    timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "worker-heartbeat");
              thread.setDaemon(true);
              return thread;
            });
    long every = settings.jobs().heartbeatInterval().toMillis();
    timer.scheduleWithFixedDelay(this::beat, 0, every, TimeUnit.MILLISECONDS);
  }

  /** Stops beating; the last beat expires on its own. */
  public synchronized void stop() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }

  private void beat() {
    try {
      String taken = worker.inHand();
      if (taken != null) {
        queue.renewLease(taken);
      }
      queue.beat(
          new Beat(Instant.now(), startedAt, worker.lastCompletedAt()),
          settings.jobs().heartbeatTtl());
    } catch (RuntimeException e) {
      // Redis down: the health endpoint says so already; the next beat tries again.
      LOG.debugf(
          "customer=%s step=heartbeat outcome=failed reason=\"%s\"",
          settings.customerId(), e.getMessage());
    }
  }
}
