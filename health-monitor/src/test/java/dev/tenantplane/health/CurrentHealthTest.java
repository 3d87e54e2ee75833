package dev.tenantplane.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The JSON the gateway reads from the platform's Redis: its field names are a contract. */
class CurrentHealthTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant CHECKED = Instant.parse("2026-12-03T10:00:02Z");

  @Test
  void theQueueIsKeptUnderTheNamesTheGatewayReads() throws Exception {
    Verdict healthy = Verdict.of(ProbeReport.allHealthy());
    JsonNode current =
        JSON.readTree(
            JSON.writeValueAsString(
                CurrentHealthStore.CurrentHealth.of(
                    "acme-corp",
                    healthy,
                    new ProbeReport(Map.of(), Set.of(), new QueueStats(3, 1, 1, 0, 2.5)),
                    CHECKED)));
    assertThat(current.path("health").asText()).isEqualTo("healthy");
    assertThat(current.path("checkedAt").asText()).isEqualTo("2026-12-03T10:00:02Z");
    JsonNode queue = current.path("queue");
    assertThat(queue.path("waiting").asLong()).isEqualTo(3);
    assertThat(queue.path("delayed").asLong()).isEqualTo(1);
    assertThat(queue.path("running").asLong()).isEqualTo(1);
    assertThat(queue.path("failed").asLong()).isEqualTo(0);
    assertThat(queue.path("oldestWaitingSeconds").asDouble()).isEqualTo(2.5);
  }

  @Test
  void anUnknownQueueIsLeftOutAndEachComponentSaysWhatItsProbeFound() throws Exception {
    ProbeReport appDown =
        new ProbeReport(Map.of(Component.REDIS, "refused", Component.APP, "HTTP 502"));
    JsonNode current =
        JSON.readTree(
            JSON.writeValueAsString(
                CurrentHealthStore.CurrentHealth.of(
                    "acme-corp", Verdict.of(appDown), appDown, CHECKED)));
    assertThat(current.has("queue")).isFalse();
    assertThat(current.path("component").asText()).isEqualTo("redis");
    assertThat(JSON.convertValue(current.path("components"), Map.class))
        .containsExactly(
            Map.entry("postgres", "ok"),
            Map.entry("redis", "refused"),
            Map.entry("app", "HTTP 502"),
            Map.entry("worker", "unknown"),
            Map.entry("nginx", "ok"));
  }
}
