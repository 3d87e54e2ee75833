package dev.tenantplane.kit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.kafka.EventCodec;
import io.opentelemetry.context.Context;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Writes events to publish into the {@code outbox} table, inside the caller's transaction, so an
 * event exists exactly when the state change that caused it was committed. {@link OutboxRelay}
 * publishes them.
 */
@ApplicationScoped
public class Outbox {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final EventCodec codec;

  public Outbox(EventCodec codec) {
    this.codec = codec;
  }

  /**
   * Adds an event; call inside {@code Panache.withTransaction}. The record names the current span
   * ({@code traceparent}), so the step that consumes it continues the trace.
   */
  public Uni<Void> add(LifecycleEvent event) {
    return add(event, Context.current());
  }

  /** Adds an event naming the span of {@code trace}, for work outside the span it belongs to. */
  public Uni<Void> add(LifecycleEvent event, Context trace) {
    EventCodec.Encoded encoded = codec.encode(event);
    Map<String, String> headers = toMap(encoded.headers());
    TraceHeaders.inject(trace, headers);
    return addRecord(encoded.topic(), encoded.key(), headers, encoded.value());
  }

  /** Adds a record as it is, e.g. an unreadable one bound for the dead-letter topic. */
  public Uni<Void> addRecord(
      String topic, String key, Map<String, String> headers, byte[] payload) {
    String headersJson;
    try {
      headersJson = JSON.writeValueAsString(headers);
    } catch (JsonProcessingException e) {
      return Uni.createFrom().failure(e);
    }
    return Panache.getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(
                        "INSERT INTO outbox (topic, message_key, headers, payload)"
                            + " VALUES (:topic, :key, :headers,"
                            + " decode(:payload, 'base64'))")
                    .setParameter("topic", topic)
                    .setParameter("key", key)
                    .setParameter("headers", headersJson)
                    .setParameter(
                        "payload",
                        Base64.getEncoder().encodeToString(payload == null ? new byte[0] : payload))
                    .executeUpdate())
        .replaceWithVoid();
  }

  /**
   * Deletes the published rows of one customer (its records are keyed by its id), inside the
   * caller's transaction: for a step that ends the customer, so that its sealed credentials do not
   * outlive it here. Unpublished rows, the step's own events among them, stay.
   */
  public Uni<Void> forgetPublished(String customerId) {
    return Panache.getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(
                        "DELETE FROM outbox WHERE message_key = :key AND sent_at IS NOT NULL")
                    .setParameter("key", customerId)
                    .executeUpdate())
        .replaceWithVoid();
  }

  /** A record's headers as text, as the outbox stores them. */
  public static Map<String, String> toMap(Headers headers) {
    Map<String, String> map = new LinkedHashMap<>();
    for (Header header : headers) {
      map.put(
          header.key(),
          header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8));
    }
    return map;
  }
}
