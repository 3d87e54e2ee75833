package dev.tenantplane.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.events.CustomerSuspendRequested;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.Step;
import java.time.Clock;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

class StepLogContextTest {
  private final CustomerSuspendRequested event =
      new CustomerSuspendRequested(EventMeta.start("acme-corp", Clock.systemUTC()));

  @Test
  void aStepsLinesCarryItsCustomerCorrelationEventStepAndConsumer() {
    try (StepLogContext logged = StepLogContext.enter("kit.suspend", Step.SUSPEND, event)) {
      assertThat(MDC.getMap())
          .containsEntry("customer", "acme-corp")
          .containsEntry("correlation", event.meta().correlationId().toString())
          .containsEntry("event", event.meta().eventId().toString())
          .containsEntry("step", "SUSPEND")
          .containsEntry("consumer", "kit.suspend");
    }
  }

  @Test
  void theNextWorkOnAPooledThreadInheritsNothing() {
    MDC.put("request", "kept");
    try (StepLogContext logged = StepLogContext.enter("kit.suspend", Step.SUSPEND, event)) {
      assertThat(MDC.get("customer")).isEqualTo("acme-corp");
    }
    assertThat(MDC.getMap()).containsOnlyKeys("request");
    MDC.remove("request");
  }
}
