package dev.tenantplane.common.testing;

import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.kafka.CloudEventHeaders;
import dev.tenantplane.common.kafka.EventCodec;
import dev.tenantplane.common.kafka.MalformedEventException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
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

/**
 * A test's view of the bus: publishes events as a service would and collects what appears on the
 * topics it watches, from their beginning. Close it at the end of the test.
 */
public class BusProbe implements AutoCloseable {
  private final EventCodec codec = new EventCodec("/tenantplane/test");
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

  public BusProbe(String bootstrapServers, List<String> topics) {
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG,
                "probe-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    consumer.subscribe(topics);
    producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
            new StringSerializer(),
            new ByteArraySerializer());
  }

  /** Publishes an event with its CloudEvents headers, waiting for the broker's ack. */
  public void publish(LifecycleEvent event) {
    publish(event, Map.of());
  }

  /** Publishes an event with its CloudEvents headers and {@code extra} (e.g. a traceparent). */
  public void publish(LifecycleEvent event, Map<String, String> extra) {
    EventCodec.Encoded encoded = codec.encode(event);
    extra.forEach(
        (key, value) -> encoded.headers().add(key, value.getBytes(StandardCharsets.UTF_8)));
    send(
        new ProducerRecord<>(
            encoded.topic(), null, encoded.key(), encoded.value(), encoded.headers()));
  }

  public void send(ProducerRecord<String, byte[]> record) {
    try {
      producer.send(record).get();
    } catch (Exception e) {
      throw new IllegalStateException("publish to " + record.topic() + " failed", e);
    }
  }

  /** Every readable event seen so far of the given type. */
  public <E extends LifecycleEvent> List<E> events(Class<E> type) {
    poll(Duration.ofMillis(200));
    return seen.stream()
        .map(this::decodeOrNull)
        .filter(type::isInstance)
        .map(type::cast)
        .collect(Collectors.toList());
  }

  /** Waits until {@code condition} holds for the events of {@code type}; returns them. */
  public <E extends LifecycleEvent> List<E> await(
      Class<E> type, Predicate<List<E>> condition, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    List<E> events = events(type);
    while (!condition.test(events)) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            "timed out after " + timeout + " waiting on " + type.getSimpleName() + ": " + events);
      }
      events = events(type);
    }
    return events;
  }

  /** Raw records of the events of {@code type} seen so far, from the stream that carries them. */
  public List<ConsumerRecord<String, byte[]>> records(EventType type) {
    return records(type.topic()).stream()
        .filter(r -> type.wireType().equals(header(r, CloudEventHeaders.TYPE)))
        .collect(Collectors.toList());
  }

  /** Raw records seen on {@code topic}, e.g. the dead-letter topic. */
  public List<ConsumerRecord<String, byte[]>> records(String topic) {
    poll(Duration.ofMillis(200));
    return seen.stream().filter(r -> r.topic().equals(topic)).collect(Collectors.toList());
  }

  public static String header(ConsumerRecord<String, byte[]> record, String key) {
    var header = record.headers().lastHeader(key);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private void poll(Duration timeout) {
    consumer.poll(timeout).forEach(seen::add);
  }

  private LifecycleEvent decodeOrNull(ConsumerRecord<String, byte[]> record) {
    try {
      return codec.decode(record.headers(), record.value());
    } catch (MalformedEventException e) {
      return null;
    }
  }

  @Override
  public void close() {
    consumer.close();
    producer.close();
  }
}
