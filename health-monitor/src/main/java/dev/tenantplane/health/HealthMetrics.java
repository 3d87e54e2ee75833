package dev.tenantplane.health;

import dev.tenantplane.common.events.Health;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prometheus view of the fleet: {@code tenantplane_customer_health{customer}} (2 healthy, 1
 * degraded, 0 unhealthy) and {@code tenantplane_restarts_requested_total{customer}}. Probe latency
 * is timed by {@link StackProber}.
 */
@ApplicationScoped
public class HealthMetrics {
  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> health = new ConcurrentHashMap<>();

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

  public void restartRequested(String customerId) {
    registry.counter("tenantplane.restarts.requested", "customer", customerId).increment();
  }
}
