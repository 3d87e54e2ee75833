package dev.tenantplane.kit;

import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.Step;
import java.util.List;
import org.jboss.logging.MDC;

/**
 * The step a thread is running, in its logging context (MDC) while it runs: every line the step
 * logs, the runner's and the handler's own, carries the customer, correlation, event, step and
 * consumer (as fields of the JSON log).
 */
final class StepLogContext implements AutoCloseable {
  static final String CUSTOMER = "customer";
  static final String CORRELATION = "correlation";
  static final String EVENT = "event";
  static final String STEP = "step";
  static final String CONSUMER = "consumer";
  private static final List<String> KEYS = List.of(CUSTOMER, CORRELATION, EVENT, STEP, CONSUMER);

  private StepLogContext() {}

  static StepLogContext enter(String consumer, Step step, LifecycleEvent event) {
    MDC.put(CUSTOMER, event.customerId());
    MDC.put(CORRELATION, event.meta().correlationId().toString());
    MDC.put(EVENT, event.meta().eventId().toString());
    MDC.put(STEP, step.name());
    MDC.put(CONSUMER, consumer);
    return new StepLogContext();
  }

  /** Worker threads are pooled: the next step on this thread must not inherit these. */
  @Override
  public void close() {
    KEYS.forEach(MDC::remove);
  }
}
