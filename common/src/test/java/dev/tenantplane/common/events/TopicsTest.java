package dev.tenantplane.common.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void platformScriptCreatesExactlyTheTopicsTheServicesUse() throws IOException {
    Path file = Path.of("..", "deploy", "topics.txt");
    List<String> listed =
        Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    assertThat(listed).containsExactlyElementsOf(Topics.all());
  }

  @Test
  void everyCustomerEventSharesTheLifecycleTopicAndOnlyFleetEventsHaveTheirOwn() {
    for (EventType type : EventType.values()) {
      boolean fleet = type.wireType().startsWith("tenantplane.fleet.");
      assertThat(type.topic())
          .as("topic of %s", type)
          .isEqualTo(fleet ? type.wireType().replaceAll("\\.v[0-9]+$", "") : Topics.LIFECYCLE);
    }
    assertThat(Topics.all())
        .containsExactly(
            Topics.LIFECYCLE,
            Topics.FLEET_MIGRATION_REQUESTED,
            Topics.FLEET_MIGRATION_COMPLETED,
            Topics.DEAD_LETTER);
  }
}
