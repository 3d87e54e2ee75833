package dev.tenantplane.common.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantplane.common.kafka.EventCodec;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every wire type has a checked-in sample under {@code src/test/resources/events}. A change to a
 * record that breaks its JSON (a field renamed, removed or retyped) fails here: make a new wire
 * version instead.
 */
class EventSamplesTest {
  private final EventCodec codec = new EventCodec("/tenantplane/test");

  @ParameterizedTest
  @EnumSource(EventType.class)
  void sampleDecodesAndEncodesBackToTheSameJson(EventType type) throws IOException {
    byte[] sample = sample(type);
    LifecycleEvent event = codec.fromJson(type, sample);

    assertThat(event).isInstanceOf(type.javaType());
    assertThat(event.meta().schemaVersion()).isEqualTo(EventMeta.SCHEMA_VERSION);
    JsonNode expected = codec.mapper().readTree(sample);
    JsonNode actual = codec.mapper().readTree(codec.toJson(event));
    assertThat(actual).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void wireTypeIsVersionedAndIndependentOfTheClassName(EventType type) {
    assertThat(type.wireType()).matches("tenantplane\\.[a-z.-]+\\.v[0-9]+");
    assertThat(type.wireType().toLowerCase())
        .doesNotContain(type.javaType().getSimpleName().toLowerCase());
  }

  private static byte[] sample(EventType type) throws IOException {
    String path = "/events/" + type.wireType() + ".json";
    try (InputStream in = EventSamplesTest.class.getResourceAsStream(path)) {
      assertThat(in).as("sample %s", path).isNotNull();
      return in.readAllBytes();
    }
  }
}
