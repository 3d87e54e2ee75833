package dev.tenantplane.common.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.LifecycleEvent;
import java.io.IOException;
import java.util.Objects;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * JSON body plus CloudEvents headers for every event: the one place where events become bytes and
 * bytes become events.
 */
public final class EventCodec {
  private final ObjectMapper json;
  private final String source;

  /**
   * @param source the CloudEvents source of events this service emits, e.g. {@code
   *     /tenantplane/provisioner}
   */
  public EventCodec(String source) {
    this.source = Objects.requireNonNull(source, "source");
    this.json =
        new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // A newer producer may add fields; an older consumer reads what it knows.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
  }

  /** A record ready to send: key (customer id), headers, JSON body. */
  public record Encoded(String topic, String key, Headers headers, byte[] value) {}

  public Encoded encode(LifecycleEvent event) {
    EventType type = EventType.of(event);
    Headers headers = new RecordHeaders();
    CloudEventHeaders.write(headers, type, event.meta(), source);
    return new Encoded(type.topic(), event.customerId(), headers, toJson(event));
  }

  public byte[] toJson(LifecycleEvent event) {
    try {
      return json.writeValueAsBytes(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + EventType.of(event), e);
    }
  }

  /**
   * Decodes a record's headers and body into a typed event.
   *
   * @throws MalformedEventException when the headers, the body, or their agreement is wrong
   */
  public LifecycleEvent decode(Headers headers, byte[] value) {
    CloudEventHeaders.Attributes ce = CloudEventHeaders.read(headers);
    EventType type =
        EventType.ofWireType(ce.type())
            .orElseThrow(
                () -> new MalformedEventException("unknown event type '" + ce.type() + "'"));
    LifecycleEvent event = fromJson(type, value);
    if (!ce.id().equals(event.meta().eventId())) {
      throw new MalformedEventException("ce_id does not match the body's eventId");
    }
    if (!ce.subject().equals(event.customerId())) {
      throw new MalformedEventException("ce_subject does not match the body's customerId");
    }
    return event;
  }

  public LifecycleEvent fromJson(EventType type, byte[] value) {
    if (value == null || value.length == 0) {
      throw new MalformedEventException("empty body for " + type.wireType());
    }
    LifecycleEvent event;
    try {
      event = json.readValue(value, type.javaType());
    } catch (IOException e) {
      throw new MalformedEventException(
          "unreadable " + type.wireType() + " body: " + describe(e), e);
    }
    if (event == null || event.meta() == null) {
      throw new MalformedEventException(type.wireType() + " body has no meta");
    }
    return event;
  }

  private static String describe(IOException e) {
    // The original message leaves out Jackson's excerpt of the payload.
    return e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
  }

  /** The mapper, for tests that compare JSON trees. */
  public ObjectMapper mapper() {
    return json;
  }
}
