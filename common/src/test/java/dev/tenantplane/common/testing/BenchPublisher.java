package dev.tenantplane.common.testing;

import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.kafka.EventCodec;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes many events at once on the test broker, as a service's relay would, with the project's
 * codec and without waiting for each acknowledgement; {@link #flush} waits for all of them and
 * fails if any was refused. For benchmarks that load a fleet's events.
 */
public final class BenchPublisher implements AutoCloseable {
  private final EventCodec codec = new EventCodec("/tenantplane/bench");
  private final KafkaProducer<String, byte[]> producer =
      new KafkaProducer<>(
          Map.of(
              ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
              TestInfrastructure.kafka().bootstrapServers(),
              ProducerConfig.LINGER_MS_CONFIG,
              10,
              ProducerConfig.BATCH_SIZE_CONFIG,
              262144),
          new StringSerializer(),
          new ByteArraySerializer());
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  public void send(LifecycleEvent event) {
    EventCodec.Encoded encoded = codec.encode(event);
    producer.send(
        new ProducerRecord<>(
            encoded.topic(), null, encoded.key(), encoded.value(), encoded.headers()),
        (metadata, error) -> {
          if (error != null) {
            failure.compareAndSet(null, error);
          }
        });
  }

  public void flush() {
    producer.flush();
    if (failure.get() != null) {
      throw new IllegalStateException("publishing failed", failure.get());
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
