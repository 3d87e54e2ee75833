package dev.tenantplane.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class OutboxReadinessTest {
  private static final Duration MAX_AGE = Duration.ofMinutes(5);

  @Test
  void aBacklogThatDrainsLeavesTheServiceReadyAndShowsItsSize() {
    HealthCheckResponse response = OutboxReadiness.judge(12, 3, MAX_AGE);

    assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    assertThat(response.getData().orElseThrow())
        .containsEntry("unsent", 12L)
        .containsEntry("oldestUnsentSeconds", 3L);
  }

  @Test
  void aRowUnpublishedPastTheMaxAgeMakesTheServiceNotReady() {
    assertThat(OutboxReadiness.judge(1, 300, MAX_AGE).getStatus())
        .isEqualTo(HealthCheckResponse.Status.UP);
    assertThat(OutboxReadiness.judge(1, 301, MAX_AGE).getStatus())
        .isEqualTo(HealthCheckResponse.Status.DOWN);
  }
}
