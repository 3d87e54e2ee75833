package dev.tenantplane.kit;

import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.common.events.Topics;
import dev.tenantplane.common.kafka.DeadLetterHeaders;
import dev.tenantplane.common.kafka.EventCodec;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Writes to the dead-letter topic, through the outbox: an event whose step failed for good (with
 * {@code tp_step}) or a record that could not be read (with {@code tp_origin}: topic, partition,
 * offset), each with the consumer and the reason. Run it in a transaction and call {@link
 * OutboxRelay#publishNow()} once that is committed.
 */
@ApplicationScoped
public class DeadLetters {
  private final Outbox outbox;
  private final EventCodec codec;

  public DeadLetters(Outbox outbox, EventCodec codec) {
    this.outbox = outbox;
    this.codec = codec;
  }

  public Uni<Void> failed(LifecycleEvent event, String consumer, StepFailed failed) {
    EventCodec.Encoded original = codec.encode(event);
    Map<String, String> headers = Outbox.toMap(original.headers());
    headers.put(DeadLetterHeaders.CONSUMER, consumer);
    headers.put(DeadLetterHeaders.STEP, failed.step().name());
    headers.put(DeadLetterHeaders.REASON, failed.reason());
    return outbox.addRecord(Topics.DEAD_LETTER, original.key(), headers, original.value());
  }

  public Uni<Void> unreadable(
      ConsumerRecord<String, byte[]> record, String consumer, String reason) {
    Map<String, String> headers = Outbox.toMap(record.headers());
    headers.put(DeadLetterHeaders.CONSUMER, consumer);
    headers.put(DeadLetterHeaders.REASON, reason);
    headers.put(
        DeadLetterHeaders.ORIGIN,
        record.topic() + "/" + record.partition() + "/" + record.offset());
    return outbox.addRecord(Topics.DEAD_LETTER, record.key(), headers, record.value());
  }
}
