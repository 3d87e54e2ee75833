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
  void everyEventTypeHasItsOwnTopic() {
    assertThat(Topics.all()).doesNotHaveDuplicates().hasSize(EventType.values().length + 1);
  }
}
