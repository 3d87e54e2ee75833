package dev.tenantplane.provisioner.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComposeConfigHashTest {
  @Test
  void writesJsonAsPythonsSortedCompactDumpsWithAsciiEscapes() {
    Map<String, Object> value =
        Map.of("b", 1L, "a", Arrays.asList("Müller \"&\" Söhne\n", null, 1.0, 0.25, List.of()));

    assertThat(ComposeConfigHash.PythonJson.write(value))
        .isEqualTo("{\"a\":[\"M\\u00fcller \\\"&\\\" S\\u00f6hne\\n\",null,1.0,0.25,[]],\"b\":1}");
  }

  @Test
  void changesWithTheEnvironmentAndTheImage() {
    StackPlan stack = StackFixtures.acme();
    ContainerPlan app = stack.containers().get(2);
    String hash = ComposeConfigHash.of(stack, app, Map.of("A", "1"), "sha256:1");

    assertThat(hash).hasSize(64);
    assertThat(ComposeConfigHash.of(stack, app, Map.of("A", "2"), "sha256:1")).isNotEqualTo(hash);
    assertThat(ComposeConfigHash.of(stack, app, Map.of("A", "1"), "sha256:2")).isNotEqualTo(hash);
  }
}
