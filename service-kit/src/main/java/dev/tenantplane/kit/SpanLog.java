package dev.tenantplane.kit;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Where the platform's traces go: one log line per finished span, with the trace, span and parent
 * ids as the same fields ({@code traceId}, {@code spanId}, {@code parentId}) the lines logged
 * inside a span carry, so one provisioning is read from the services' JSON logs by its trace id. No
 * trace collector is needed; being a span exporter, it also keeps the extension's OTLP exporter
 * from sending to a collector that is not there.
 */
@ApplicationScoped
public class SpanLog implements SpanExporter {
  static final String TRACE_ID = "traceId";
  static final String SPAN_ID = "spanId";
  static final String PARENT_ID = "parentId";
  private static final Logger LOG = Logger.getLogger(SpanLog.class);

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    for (SpanData span : spans) {
      MDC.put(TRACE_ID, span.getTraceId());
      MDC.put(SPAN_ID, span.getSpanId());
      if (span.getParentSpanContext().isValid()) {
        MDC.put(PARENT_ID, span.getParentSpanId());
      }
      String customer = span.getAttributes().get(StepTracing.CUSTOMER_KEY);
      try {
        LOG.infof(
            "span=\"%s\" kind=%s start=%s millis=%d status=%s%s",
            span.getName(),
            span.getKind(),
            Instant.EPOCH.plusNanos(span.getStartEpochNanos()),
            TimeUnit.NANOSECONDS.toMillis(span.getEndEpochNanos() - span.getStartEpochNanos()),
            span.getStatus().getStatusCode(),
            customer == null ? "" : " customer=" + customer);
      } finally {
        MDC.remove(TRACE_ID);
        MDC.remove(SPAN_ID);
        MDC.remove(PARENT_ID);
      }
    }
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}
