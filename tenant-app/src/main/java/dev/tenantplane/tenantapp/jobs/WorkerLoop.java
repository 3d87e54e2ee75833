package dev.tenantplane.tenantapp.jobs;

import dev.tenantplane.tenantapp.TenantAppSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * In the worker container ({@code TENANT_ROLE=worker}) runs {@link JobWorker} on its own thread
 * until shutdown, with its {@link WorkerHeartbeat}. Between jobs it queues the delayed jobs that
 * are due; now and then it runs {@link JobSweep} and takes back jobs whose lease ran out. At
 * shutdown it lets the job in hand finish within the grace period, otherwise returns it to the
 * queue.
 */
@ApplicationScoped
public class WorkerLoop {
  private static final Logger LOG = Logger.getLogger(WorkerLoop.class);
  private static final Duration BACKOFF_WHEN_REDIS_DOWN = Duration.ofSeconds(2);
  // Redis' blocking wait counts in steps of about 10 ms; a shorter one would spin.
  private static final Duration MIN_WAIT = Duration.ofMillis(10);

  private final JobWorker worker;
  private final JobQueue queue;
  private final JobSweep sweep;
  private final WorkerHeartbeat heartbeat;
  private final TenantAppSettings settings;
  private volatile boolean running;
  private Thread thread;

  public WorkerLoop(
      JobWorker worker,
      JobQueue queue,
      JobSweep sweep,
      WorkerHeartbeat heartbeat,
      TenantAppSettings settings) {
    this.worker = worker;
    this.queue = queue;
    this.sweep = sweep;
    this.heartbeat = heartbeat;
    this.settings = settings;
  }

  void onStart(@Observes StartupEvent startup) {
    if (settings.role() == TenantAppSettings.Role.WORKER) {
      start();
    }
  }

  void onShutdown(@Observes ShutdownEvent shutdown) {
    stop(settings.jobs().shutdownGrace());
  }

  /** Starts taking jobs on a thread of its own. */
  public synchronized void start() {
    running = true;
    thread = new Thread(this::loop, "job-worker");
    thread.start();
    heartbeat.start();
  }

  /** Whether it takes new jobs: from {@link #start} until {@link #stop} is called. */
  public boolean running() {
    return running;
  }

  /**
   * Stops taking jobs and waits up to {@code grace} for the job in hand; if it is still running
   * then, it goes back to the queue for the next worker (whose run of it is then the one that
   * counts: this process is about to end).
   */
  public synchronized void stop(Duration grace) {
    if (thread == null) {
      return;
    }
    running = false;
    try {
      thread.join(grace.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    worker.giveBackInHand();
    heartbeat.stop();
    thread = null;
    LOG.infof("customer=%s step=worker outcome=stopped", settings.customerId());
  }

  private void loop() {
    boolean recovered = false;
    Instant nextSweep = Instant.now();
    LOG.infof("customer=%s step=worker outcome=started", settings.customerId());
    while (running) {
      try {
        if (!recovered) {
          int moved = queue.recover();
          recovered = true;
          LOG.infof(
              "customer=%s step=worker outcome=recovered jobs=%d", settings.customerId(), moved);
        }
        if (!Instant.now().isBefore(nextSweep)) {
          // Scheduled before it runs: a sweep that fails must not hold up the jobs.
          nextSweep = Instant.now().plus(settings.jobs().sweepInterval());
          sweep.sweep(settings.jobs().unconfirmedGrace());
          // Leases last a visibility timeout: looking for run-out ones between every two jobs
          // would only add a round trip to each.
          queue.reclaimExpired();
        }
        Duration wait = settings.jobs().pollTimeout();
        Optional<Duration> nextDue = queue.promoteDue();
        if (nextDue.isPresent() && nextDue.get().compareTo(wait) < 0) {
          wait = nextDue.get().compareTo(MIN_WAIT) < 0 ? MIN_WAIT : nextDue.get();
        }
        worker.processOne(wait);
      } catch (RuntimeException e) {
        LOG.warnf(
            "customer=%s step=worker outcome=queue-unavailable reason=\"%s\"",
            settings.customerId(), e.getMessage());
        pause();
      }
    }
  }

  private void pause() {
    try {
      Thread.sleep(BACKOFF_WHEN_REDIS_DOWN.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}
