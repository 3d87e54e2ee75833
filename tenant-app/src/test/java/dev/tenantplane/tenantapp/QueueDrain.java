package dev.tenantplane.tenantapp;

import static org.awaitility.Awaitility.await;

import dev.tenantplane.tenantapp.jobs.JobQueue;
import dev.tenantplane.tenantapp.jobs.JobWorker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs the worker in the test's thread, as its loop would, until no job waits or is delayed. */
final class QueueDrain {
  private static final Duration TAKE = Duration.ofMillis(200);

  private QueueDrain() {}

  /** Returns how many jobs were handled; fails when the queue is not empty within {@code limit}. */
  static int drain(JobQueue queue, JobWorker worker, Duration limit) {
    AtomicInteger handled = new AtomicInteger();
    await("the queue is drained")
        .atMost(limit)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(1))
        .until(
            () -> {
              queue.promoteDue();
              if (worker.processOne(TAKE)) {
                handled.incrementAndGet();
              }
              return queue.queuedCount() == 0 && queue.delayedCount() == 0;
            });
    return handled.get();
  }
}
