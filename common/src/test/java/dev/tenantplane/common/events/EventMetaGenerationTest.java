package dev.tenantplane.common.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantplane.common.kafka.EventCodec;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventMetaGenerationTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);
  private final EventCodec codec = new EventCodec("/tenantplane/test");

  @Test
  void everyEventCausedByAnotherKeepsItsGeneration() {
    EventMeta requested = EventMeta.start("acme-corp", 3, clock);
    EventMeta allocated = requested.next(clock);
    EventMeta copy = allocated.again(UUID.randomUUID(), clock);

    assertThat(allocated.generation()).isEqualTo(3);
    assertThat(copy.generation()).isEqualTo(3);
    assertThat(copy.correlationId()).isEqualTo(requested.correlationId());
    assertThat(copy.eventId()).isNotEqualTo(allocated.eventId());
  }

  @Test
  void aNewCustomerIsOfTheFirstGeneration() {
    assertThat(EventMeta.start("acme-corp", clock).generation())
        .isEqualTo(EventMeta.FIRST_GENERATION)
        .isEqualTo(1);
  }

  @Test
  void anEventOfTheFirstGenerationIsWrittenAsBeforeGenerationsExisted() throws Exception {
    CustomerRequested event =
        new CustomerRequested(EventMeta.start("acme-corp", clock), "ACME", "standard", null);

    assertThat(codec.mapper().readTree(codec.toJson(event)).get("meta").has("generation"))
        .isFalse();
    assertThat(codec.fromJson(EventType.CUSTOMER_REQUESTED, codec.toJson(event))).isEqualTo(event);
  }

  @Test
  void aLaterGenerationReadsAndWritesBackToItsSample() throws Exception {
    byte[] sample;
    try (InputStream in =
        getClass()
            .getResourceAsStream("/events/tenantplane.customer.requested.v1.generation.json")) {
      sample = in.readAllBytes();
    }
    LifecycleEvent event = codec.fromJson(EventType.CUSTOMER_REQUESTED, sample);

    assertThat(event.meta().generation()).isEqualTo(2);
    assertThat(codec.mapper().readTree(codec.toJson(event)))
        .isEqualTo(codec.mapper().readTree(sample));
  }

  @Test
  void theGenerationTravelsInTheBody() {
    CustomerSuspendRequested event =
        new CustomerSuspendRequested(EventMeta.start("acme-corp", 4, clock));
    EventCodec.Encoded encoded = codec.encode(event);

    assertThat(codec.decode(encoded.headers(), encoded.value()).meta().generation()).isEqualTo(4);
  }

  @Test
  void aGenerationBelowOneIsRefused() {
    assertThatThrownBy(() -> EventMeta.start("acme-corp", 0, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("generation");
  }
}
