package dev.tenantplane.kit;

import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.Step;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * A span per step attempt, named for its consumer and a child of the span that emitted the event,
 * so one customer's provisioning is one trace from the API request to READY.
 */
@ApplicationScoped
public class StepTracing {
  static final String CUSTOMER = "tenantplane.customer";
  static final AttributeKey<String> CUSTOMER_KEY = AttributeKey.stringKey(CUSTOMER);
  static final String EVENT_TYPE = "tenantplane.event.type";
  static final String STEP = "tenantplane.step";
  static final String ATTEMPT = "tenantplane.attempt";

  private final Tracer tracer;

  public StepTracing(Tracer tracer) {
    this.tracer = tracer;
  }

  /** Starts an attempt's span, current on this thread until the returned scope is closed. */
  Attempt start(String consumer, Step step, LifecycleEvent event, Context parent, int attempt) {
    Span span =
        tracer
            .spanBuilder(consumer)
            .setParent(parent)
            .setSpanKind(SpanKind.CONSUMER)
            .setAttribute(CUSTOMER, event.customerId())
            .setAttribute(EVENT_TYPE, EventType.of(event).wireType())
            .setAttribute(STEP, step.name())
            .setAttribute(ATTEMPT, attempt)
            .startSpan();
    return new Attempt(span, span.makeCurrent());
  }

  /**
   * Starts (not current: the caller ends it) a span for work outside a step that emits events for a
   * customer, e.g. READY found by a probe round, as a child of a kept {@code traceparent}.
   */
  public Span startSpan(String name, String customerId, String traceparent) {
    return tracer
        .spanBuilder(name)
        .setParent(TraceHeaders.parse(traceparent))
        .setSpanKind(SpanKind.INTERNAL)
        .setAttribute(CUSTOMER, customerId)
        .startSpan();
  }

  /**
   * The work with {@code context} current while it runs: a transaction subscribed on a Vert.x
   * context would not see the calling thread's span, and the outbox reads it from there.
   */
  static <T> Uni<T> within(Context context, Supplier<Uni<T>> work) {
    Scope scope = context.makeCurrent();
    try {
      return work.get().onTermination().invoke(scope::close);
    } catch (RuntimeException e) {
      scope.close();
      throw e;
    }
  }

  /** One attempt's span; closing ends it. */
  public static final class Attempt implements AutoCloseable {
    private final Span span;
    private final Scope scope;

    private Attempt(Span span, Scope scope) {
      this.span = span;
      this.scope = scope;
    }

    void failed(String reason) {
      span.setStatus(StatusCode.ERROR, reason);
    }

    @Override
    public void close() {
      scope.close();
      span.end();
    }
  }
}
