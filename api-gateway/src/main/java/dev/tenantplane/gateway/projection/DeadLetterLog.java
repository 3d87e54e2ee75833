package dev.tenantplane.gateway.projection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantplane.common.kafka.CloudEventHeaders;
import dev.tenantplane.common.kafka.DeadLetterHeaders;
import dev.tenantplane.gateway.Sql;
import dev.tenantplane.kit.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Base64;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps every record of the dead-letter topic in {@code dead_letter}, so an operator can list them
 * and replay one. A record is stored once per topic position, whatever it holds: nothing here is
 * decoded, since an unreadable record is exactly what may land here.
 */
@ApplicationScoped
public class DeadLetterLog {
  static final String CONSUMER = "api-gateway.dead-letters";
  private static final Logger LOG = Logger.getLogger(DeadLetterLog.class);

  private final ObjectMapper json;
  private final MeterRegistry metrics;

  public DeadLetterLog(ObjectMapper json, MeterRegistry metrics) {
    this.json = json;
    this.metrics = metrics;
  }

  @Incoming("dead-letters")
  @Blocking
  public void on(ConsumerRecord<String, byte[]> record) {
    Map<String, String> headers = Outbox.toMap(record.headers());
    boolean first =
        UntilStored.run(
                () -> Sql.await(() -> Panache.withTransaction(() -> insert(record, headers))),
                (e, backoff) ->
                    LOG.warnf(
                        "consumer=%s step=dead-letter customer=%s offset=%d outcome=store-failed"
                            + " retry_in=%s reason=\"%s\"",
                        CONSUMER, record.key(), record.offset(), backoff, e.getMessage()))
            == 1;
    String outcome = first ? "stored" : "duplicate-skipped";
    LOG.infof(
        "consumer=%s step=dead-letter customer=%s offset=%d event=%s failed_by=%s outcome=%s",
        CONSUMER,
        record.key(),
        record.offset(),
        headers.get(CloudEventHeaders.ID),
        headers.get(DeadLetterHeaders.CONSUMER),
        outcome);
    metrics.counter("tenantplane.gateway.dead_letters", "outcome", outcome).increment();
  }

  /** Stores the record once per topic position; 1 if this call stored it. */
  private Uni<Integer> insert(ConsumerRecord<String, byte[]> record, Map<String, String> headers) {
    String headersJson;
    try {
      headersJson = json.writeValueAsString(headers);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the headers of a dead letter", e);
    }
    return Sql.of(
            "INSERT INTO dead_letter (dlq_partition, dlq_offset, customer_id, event_type, event_id,"
                + " consumer, step, reason, origin, headers, payload) VALUES (:partition, :offset,"
                + " CAST(:customer AS text), CAST(:type AS text), CAST(:event AS text),"
                + " CAST(:consumer AS text), CAST(:step AS text), CAST(:reason AS text),"
                + " CAST(:origin AS text), CAST(:headers AS jsonb), decode(:payload, 'base64'))"
                + " ON CONFLICT (dlq_partition, dlq_offset) DO NOTHING")
        .bind("partition", record.partition())
        .bind("offset", record.offset())
        .bind("customer", record.key())
        .bind("type", headers.get(CloudEventHeaders.TYPE))
        .bind("event", headers.get(CloudEventHeaders.ID))
        .bind("consumer", headers.get(DeadLetterHeaders.CONSUMER))
        .bind("step", headers.get(DeadLetterHeaders.STEP))
        .bind("reason", headers.get(DeadLetterHeaders.REASON))
        .bind("origin", headers.get(DeadLetterHeaders.ORIGIN))
        .bind("headers", headersJson)
        .bind("payload", base64(record.value()))
        .update();
  }

  /** The body as base64 text, which PostgreSQL decodes: the reactive session binds text alike. */
  private static String base64(byte[] value) {
    return Base64.getEncoder().encodeToString(value == null ? new byte[0] : value);
  }
}
