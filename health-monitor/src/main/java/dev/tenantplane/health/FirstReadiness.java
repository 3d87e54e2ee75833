package dev.tenantplane.health;

import dev.tenantplane.common.retry.RetryPolicy;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Probes a customer whose routes were just published at once, then again after waits that grow from
 * tens of milliseconds, until it is reported ready: CustomerReady goes out as soon as it is true,
 * not at the next round. After {@code first-readiness-window} the periodic round alone goes on.
 */
@ApplicationScoped
public class FirstReadiness {
  private static final Logger LOG = Logger.getLogger(FirstReadiness.class);

  private final HealthRound round;
  private final RetryPolicy waits;
  private final Duration window;
  private final ScheduledExecutorService timer;

  public FirstReadiness(HealthRound round, HealthSettings settings) {
    this.round = round;
    this.waits =
        RetryPolicy.unlimited(settings.firstReadinessDelay(), 2, settings.firstReadinessMaxDelay());
    this.window = settings.firstReadinessWindow();
    AtomicInteger threads = new AtomicInteger();
    this.timer =
        Executors.newScheduledThreadPool(
            settings.parallelism(),
            work -> {
              Thread thread = new Thread(work, "first-readiness-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Starts probing {@code customerId} until it is ready; returns at once. */
  public void chase(String customerId) {
    schedule(customerId, 1, System.nanoTime() + window.toNanos(), Duration.ZERO);
  }

  private void schedule(String customerId, int attempt, long deadline, Duration delay) {
    try {
      timer.schedule(
          () -> probe(customerId, attempt, deadline), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // Shutting down: the next instance's rounds take the customer over.
    }
  }

  private void probe(String customerId, int attempt, long deadline) {
    boolean done;
    try {
      done = round.probeUntilReady(customerId);
    } catch (Throwable e) {
      LOG.warnf(
          "customer=%s step=AWAIT_HEALTHY outcome=first-probe-failed attempt=%d reason=\"%s\"",
          customerId, attempt, e.getMessage());
      done = false;
    }
    if (!done && System.nanoTime() < deadline) {
      schedule(customerId, attempt + 1, deadline, waits.delayAfter(attempt));
    }
  }

  @PreDestroy
  void stop() {
    timer.shutdownNow();
  }
}
