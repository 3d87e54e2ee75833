package dev.tenantplane.health;

import dev.tenantplane.common.events.Health;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus view of the fleet: {@code tenantplane_customer_health{customer}} (2 healthy, 1
 * degraded, 0 unhealthy), {@code tenantplane_restarts_requested_total{customer}}, and the job queue
 * each app last reported: {@code tenantplane_customer_jobs{customer,state}} (waiting, delayed,
 * running, failed) and {@code tenantplane_customer_oldest_waiting_job_seconds{customer}}. Probe
 * latency is timed by {@link StackProber}.
 */
@ApplicationScoped
public class HealthMetrics {
  private static final Map<String, ToDoubleFunction<QueueStats>> JOB_STATES =
      Map.of(
          "waiting", QueueStats::waiting,
          "delayed", QueueStats::delayed,
          "running", QueueStats::running,
          "failed", QueueStats::failed);

  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> health = new ConcurrentHashMap<>();
  // Gauges hold their state weakly: these references keep them reporting.
  private final Map<String, AtomicReference<QueueStats>> queues = new ConcurrentHashMap<>();

  public HealthMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void record(String customerId, Health value) {
    health
        .computeIfAbsent(
            customerId,
            id ->
                registry.gauge(
                    "tenantplane.customer.health", Tags.of("customer", id), new AtomicInteger()))
        .set(
            switch (value) {
              case HEALTHY -> 2;
              case DEGRADED -> 1;
              case UNHEALTHY -> 0;
            });
  }

  /** The queue's gauges keep the last reported counts until the app reports again. */
  public void record(String customerId, QueueStats queue) {
    queues.computeIfAbsent(customerId, id -> queueGauges(id, queue)).set(queue);
  }

  private AtomicReference<QueueStats> queueGauges(String customerId, QueueStats first) {
    AtomicReference<QueueStats> latest = new AtomicReference<>(first);
    JOB_STATES.forEach(
        (state, count) ->
            registry.gauge(
                "tenantplane.customer.jobs",
                Tags.of("customer", customerId, "state", state),
                latest,
                queue -> count.applyAsDouble(queue.get())));
    registry.gauge(
        "tenantplane.customer.oldest.waiting.job.seconds",
        Tags.of("customer", customerId),
        latest,
        queue -> queue.get().oldestWaitingSeconds());
    return latest;
  }

  public void restartRequested(String customerId) {
    registry.counter("tenantplane.restarts.requested", "customer", customerId).increment();
  }
}
