package dev.tenantplane.common.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantplane.common.kafka.EventCodec;
import java.io.IOException;
import java.io.InputStream;

/**
 * The checked-in event samples of {@code src/test/resources/events}, as the event tests read them.
 */
final class Samples {
  private Samples() {}

  /** The bytes of the sample at {@code path} (asserting it exists). */
  static byte[] read(String path) throws IOException {
    try (InputStream in = Samples.class.getResourceAsStream(path)) {
      assertThat(in).as("sample %s", path).isNotNull();
      return in.readAllBytes();
    }
  }

  /** {@code bytes} as a JSON tree, to compare documents whatever their layout. */
  static JsonNode json(EventCodec codec, byte[] bytes) throws IOException {
    return codec.mapper().readTree(bytes);
  }
}
