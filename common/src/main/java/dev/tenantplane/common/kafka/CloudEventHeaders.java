package dev.tenantplane.common.kafka;

import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.EventType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Writes and reads the CloudEvents 1.0 Kafka binary-mode headers of an event record, so that any
 * consumer, or an operator with {@code kafka-console-consumer --property print.headers=true}, can
 * tell what a record is without decoding its body.
 */
public final class CloudEventHeaders {
  public static final String ID = "ce_id";
  public static final String TYPE = "ce_type";
  public static final String SOURCE = "ce_source";
  public static final String SUBJECT = "ce_subject";
  public static final String TIME = "ce_time";
  public static final String SPEC_VERSION = "ce_specversion";
  public static final String CONTENT_TYPE = "content-type";
  public static final String SPEC_VERSION_VALUE = "1.0";
  public static final String JSON = "application/json";

  private CloudEventHeaders() {}

  /** The attributes read from a record's headers. */
  public record Attributes(
      UUID id, String type, String source, String subject, Instant time, String specVersion) {}

  /**
   * Replaces the CloudEvents headers of {@code headers} with those of an event.
   *
   * @param source the emitting service, e.g. {@code /tenantplane/provisioner}
   */
  public static void write(Headers headers, EventType type, EventMeta meta, String source) {
    put(headers, ID, meta.eventId().toString());
    put(headers, TYPE, type.wireType());
    put(headers, SOURCE, source);
    put(headers, SUBJECT, meta.customerId());
    put(headers, TIME, meta.time().toString());
    put(headers, SPEC_VERSION, SPEC_VERSION_VALUE);
    put(headers, CONTENT_TYPE, JSON);
  }

  /**
   * Reads the CloudEvents attributes.
   *
   * @throws MalformedEventException when a required header is missing or unreadable
   */
  public static Attributes read(Headers headers) {
    String specVersion = required(headers, SPEC_VERSION);
    if (!SPEC_VERSION_VALUE.equals(specVersion)) {
      throw new MalformedEventException("unsupported ce_specversion '" + specVersion + "'");
    }
    try {
      return new Attributes(
          UUID.fromString(required(headers, ID)),
          required(headers, TYPE),
          required(headers, SOURCE),
          required(headers, SUBJECT),
          Instant.parse(required(headers, TIME)),
          specVersion);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new MalformedEventException("unreadable CloudEvents header: " + e.getMessage());
    }
  }

  /** The record's {@code ce_type}, when it has one: enough to tell whose event it is. */
  public static Optional<String> type(Headers headers) {
    Header header = headers.lastHeader(TYPE);
    return header == null || header.value() == null
        ? Optional.empty()
        : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
  }

  private static void put(Headers headers, String key, String value) {
    headers.remove(key);
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }

  private static String required(Headers headers, String key) {
    Header header = headers.lastHeader(key);
    if (header == null || header.value() == null) {
      throw new MalformedEventException("missing header " + key);
    }
    return new String(header.value(), StandardCharsets.UTF_8);
  }
}
