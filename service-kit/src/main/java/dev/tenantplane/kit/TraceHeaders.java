package dev.tenantplane.kit;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The W3C trace context ({@code traceparent}, {@code tracestate}) as record headers: every event
 * names the span that emitted it, so the step that consumes it continues the same trace.
 */
public final class TraceHeaders {
  public static final String TRACEPARENT = "traceparent";
  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

  private TraceHeaders() {}

  /** Adds the context's trace headers; none when it holds no span. */
  static void inject(Context context, Map<String, String> headers) {
    W3C.inject(context, headers, Map::put);
  }

  /** The context a record's headers name; the root context when they name none. */
  static Context extract(Headers headers) {
    return W3C.extract(Context.root(), headers, KafkaHeaders.GETTER);
  }

  /** The current span's {@code traceparent}, to keep for events emitted later (e.g. READY). */
  public static Optional<String> current() {
    if (!Span.current().getSpanContext().isValid()) {
      return Optional.empty();
    }
    Map<String, String> headers = new HashMap<>();
    inject(Context.current(), headers);
    return Optional.ofNullable(headers.get(TRACEPARENT));
  }

  /** The context a kept {@code traceparent} names; the root context for none or a bad one. */
  public static Context parse(String traceparent) {
    if (traceparent == null) {
      return Context.root();
    }
    return W3C.extract(Context.root(), Map.of(TRACEPARENT, traceparent), MapGetter.GETTER);
  }

  private enum KafkaHeaders implements TextMapGetter<Headers> {
    GETTER;

    @Override
    public Iterable<String> keys(Headers headers) {
      return StreamSupport.stream(headers.spliterator(), false).map(Header::key).toList();
    }

    @Override
    public String get(Headers headers, String key) {
      Header header = headers == null ? null : headers.lastHeader(key);
      return header == null || header.value() == null
          ? null
          : new String(header.value(), StandardCharsets.UTF_8);
    }
  }

  private enum MapGetter implements TextMapGetter<Map<String, String>> {
    GETTER;

    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return List.copyOf(carrier.keySet());
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  }
}
