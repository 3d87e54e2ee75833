package dev.tenantplane.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantplane.common.events.CustomerRequested;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.LifecycleEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class EventCodecTest {
  private final Clock clock =
      Clock.fixed(Instant.parse("2026-11-27T10:30:45.123Z"), ZoneOffset.UTC);
  private final EventCodec codec = new EventCodec("/tenantplane/api-gateway");
  private final CustomerRequested requested =
      new CustomerRequested(EventMeta.start("acme-corp", clock), "ACME Corporation", null, 3005);

  @Test
  void encodesTopicKeyAndCloudEventsHeaders() {
    EventCodec.Encoded encoded = codec.encode(requested);
    assertThat(encoded.topic()).isEqualTo("tenantplane.customer.lifecycle");
    assertThat(encoded.key()).isEqualTo("acme-corp");
    assertThat(header(encoded.headers(), "ce_type")).isEqualTo("tenantplane.customer.requested.v1");
    assertThat(header(encoded.headers(), "ce_id")).isEqualTo(requested.meta().eventId().toString());
    assertThat(header(encoded.headers(), "ce_source")).isEqualTo("/tenantplane/api-gateway");
    assertThat(header(encoded.headers(), "ce_subject")).isEqualTo("acme-corp");
    assertThat(header(encoded.headers(), "ce_time")).isEqualTo("2026-11-27T10:30:45.123Z");
    assertThat(header(encoded.headers(), "ce_specversion")).isEqualTo("1.0");
  }

  @Test
  void decodingWhatWasEncodedGivesAnEqualEvent() {
    EventCodec.Encoded encoded = codec.encode(requested);
    LifecycleEvent decoded = codec.decode(encoded.headers(), encoded.value());
    assertThat(decoded).isEqualTo(requested);
  }

  @Test
  void theWireTypeNotTheClassNameIsOnTheWire() {
    String body = new String(codec.encode(requested).value(), StandardCharsets.UTF_8);
    assertThat(body).doesNotContain("CustomerRequested").doesNotContain("dev.tenantplane");
  }

  @Test
  void bodyThatIsNotJsonIsMalformed() {
    Headers headers = codec.encode(requested).headers();
    assertThatThrownBy(() -> codec.decode(headers, "{not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("unreadable tenantplane.customer.requested.v1 body");
  }

  @Test
  void missingHeadersAreMalformed() {
    assertThatThrownBy(() -> codec.decode(new RecordHeaders(), codec.toJson(requested)))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("missing header ce_specversion");
  }

  @Test
  void unknownTypeIsMalformed() {
    Headers headers = codec.encode(requested).headers();
    headers.remove("ce_type");
    headers.add("ce_type", "tenantplane.customer.exploded.v9".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> codec.decode(headers, codec.toJson(requested)))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("unknown event type");
  }

  @Test
  void headersThatDisagreeWithTheBodyAreMalformed() {
    Headers headers = codec.encode(requested).headers();
    headers.remove("ce_id");
    headers.add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> codec.decode(headers, codec.toJson(requested)))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("ce_id does not match");
  }

  @Test
  void bodyWithoutMetaIsMalformed() {
    Headers headers = codec.encode(requested).headers();
    byte[] body = "{\"name\":\"ACME\"}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> codec.decode(headers, body))
        .isInstanceOf(MalformedEventException.class);
  }

  @Test
  void emptyBodyIsMalformed() {
    Headers headers = codec.encode(requested).headers();
    assertThatThrownBy(() -> codec.decode(headers, new byte[0]))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("empty body");
  }

  private static String header(Headers headers, String key) {
    return new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
  }
}
