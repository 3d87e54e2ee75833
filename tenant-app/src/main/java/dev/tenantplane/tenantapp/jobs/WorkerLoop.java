package dev.tenantplane.tenantapp.jobs;

import dev.tenantplane.tenantapp.TenantAppSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * In the worker container ({@code TENANT_ROLE=worker}) runs {@link JobWorker} on its own thread
 * until shutdown. At shutdown it lets the job in hand finish within the grace period, otherwise
 * returns it to the queue.
 */
@ApplicationScoped
public class WorkerLoop {
  private static final Logger LOG = Logger.getLogger(WorkerLoop.class);
  private static final Duration GRACE = Duration.ofSeconds(15);
  private static final Duration BACKOFF_WHEN_REDIS_DOWN = Duration.ofSeconds(2);

  private final JobWorker worker;
  private final JobQueue queue;
  private final TenantAppSettings settings;
  private volatile boolean running;
  private Thread thread;

  public WorkerLoop(JobWorker worker, JobQueue queue, TenantAppSettings settings) {
    this.worker = worker;
    this.queue = queue;
    this.settings = settings;
  }

  void start(@Observes StartupEvent startup) {
    if (settings.role() != TenantAppSettings.Role.WORKER) {
      return;
    }
    running = true;
    thread = new Thread(this::loop, "job-worker");
    thread.start();
  }

  void stop(@Observes ShutdownEvent shutdown) {
    if (thread == null) {
      return;
    }
    running = false;
    try {
      thread.join(GRACE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    worker.giveBackInHand();
    LOG.infof("customer=%s step=worker outcome=stopped", settings.customerId());
  }

  private void loop() {
    boolean recovered = false;
    LOG.infof("customer=%s step=worker outcome=started", settings.customerId());
    while (running) {
      try {
        if (!recovered) {
          int moved = queue.recover();
          recovered = true;
          LOG.infof(
              "customer=%s step=worker outcome=recovered jobs=%d", settings.customerId(), moved);
        }
        worker.processOne(settings.jobs().pollTimeout());
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
