package dev.tenantplane.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.events.CustomerRequested;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.testing.TestInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Events cross a real broker intact, and a malformed record is reported, not fatal. */
class EventBusSmokeIT {
  private final EventCodec codec = new EventCodec("/tenantplane/smoke-test");
  private final String bootstrap = TestInfrastructure.kafka().bootstrapServers();

  @Test
  void customerRequestedCrossesTheBrokerTypedAndEqualAndMalformedRecordsAreReported()
      throws Exception {
    CustomerRequested acme =
        new CustomerRequested(
            EventMeta.start("acme-corp", Clock.systemUTC()), "ACME Corporation", "standard", null);
    CustomerRequested techstart =
        new CustomerRequested(
            EventMeta.start("techstart", Clock.systemUTC()), "TechStart Inc", null, 3002);
    String topic = EventType.CUSTOMER_REQUESTED.topic();

    try (KafkaProducer<String, byte[]> producer = producer()) {
      producer.send(record(acme)).get();
      ProducerRecord<String, byte[]> notJson = record(acme);
      producer
          .send(
              new ProducerRecord<>(
                  topic,
                  null,
                  "acme-corp",
                  "{oops".getBytes(StandardCharsets.UTF_8),
                  notJson.headers()))
          .get();
      producer
          .send(
              new ProducerRecord<>(
                  topic, "acme-corp", "no headers".getBytes(StandardCharsets.UTF_8)))
          .get();
      producer.send(record(techstart)).get();
    }

    List<LifecycleEvent> decoded = new ArrayList<>();
    List<String> reported = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      consumer.subscribe(List.of(topic));
      Instant deadline = Instant.now().plusSeconds(30);
      while (decoded.size() + reported.size() < 4 && Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          try {
            decoded.add(codec.decode(r.headers(), r.value()));
          } catch (MalformedEventException e) {
            reported.add(e.getMessage());
          }
        }
      }
    }

    assertThat(decoded).containsExactlyInAnyOrder(acme, techstart);
    assertThat(reported)
        .hasSize(2)
        .anySatisfy(m -> assertThat(m).contains("unreadable tenantplane.customer.requested.v1"))
        .anySatisfy(m -> assertThat(m).contains("missing header"));
  }

  private ProducerRecord<String, byte[]> record(LifecycleEvent event) {
    EventCodec.Encoded encoded = codec.encode(event);
    return new ProducerRecord<>(
        encoded.topic(), null, encoded.key(), encoded.value(), encoded.headers());
  }

  private KafkaProducer<String, byte[]> producer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  private KafkaConsumer<String, byte[]> consumer() {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.GROUP_ID_CONFIG,
            "smoke-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest"),
        new StringDeserializer(),
        new ByteArrayDeserializer());
  }
}
