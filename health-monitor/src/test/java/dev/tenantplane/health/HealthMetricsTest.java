package dev.tenantplane.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class HealthMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final HealthMetrics metrics = new HealthMetrics(registry);

  @Test
  void queueGaugesFollowTheLatestReport() {
    metrics.record("acme-corp", new QueueStats(3, 1, 1, 0, 2.5));
    metrics.record("acme-corp", new QueueStats(5, 0, 2, 1, 7.0));
    // Gauges hold their state weakly: it must outlive a collection.
    System.gc();
    assertThat(jobs("waiting")).isEqualTo(5);
    assertThat(jobs("delayed")).isEqualTo(0);
    assertThat(jobs("running")).isEqualTo(2);
    assertThat(jobs("failed")).isEqualTo(1);
    assertThat(
            registry
                .get("tenantplane.customer.oldest.waiting.job.seconds")
                .tag("customer", "acme-corp")
                .gauge()
                .value())
        .isEqualTo(7.0);
  }

  private double jobs(String state) {
    return registry
        .get("tenantplane.customer.jobs")
        .tag("customer", "acme-corp")
        .tag("state", state)
        .gauge()
        .value();
  }
}
