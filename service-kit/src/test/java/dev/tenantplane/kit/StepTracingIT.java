package dev.tenantplane.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tenantplane.common.events.CustomerSuspendRequested;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.testing.BusProbe;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A step continues the trace of the event it consumes, and the events it emits name its span. */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres"))
class StepTracingIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String EMITTER_SPAN = "00f067aa0ba902b7";

  private final SpanLines spans = new SpanLines();
  private final Logger spanLogger = Logger.getLogger(SpanLog.class.getName());
  private BusProbe bus;

  @BeforeEach
  void listen() {
    spanLogger.addHandler(spans);
    bus =
        new BusProbe(
            TestInfrastructure.kafka().bootstrapServers(),
            List.of(EventType.CUSTOMER_SUSPENDED.topic()));
  }

  @AfterEach
  void stop() {
    spanLogger.removeHandler(spans);
    bus.close();
  }

  @Test
  void theStepsSpanIsAChildOfTheEmittersAndItsEventCarriesThatSpan() {
    CustomerSuspendRequested request =
        new CustomerSuspendRequested(EventMeta.start("traced-" + suffix(), Clock.systemUTC()));
    bus.publish(
        request, Map.of(TraceHeaders.TRACEPARENT, "00-" + TRACE + "-" + EMITTER_SPAN + "-01"));

    String[] emitted = traceparentOfSuspended(request.customerId()).split("-");
    assertThat(emitted[1]).as("the emitted event's trace").isEqualTo(TRACE);
    String stepSpan = emitted[2];
    assertThat(stepSpan).isNotEqualTo(EMITTER_SPAN);

    ExtLogRecord line =
        await().atMost(WAIT).until(() -> spans.find(stepSpan), found -> found != null);
    assertThat(line.getMdc(SpanLog.TRACE_ID)).isEqualTo(TRACE);
    assertThat(line.getMdc(SpanLog.PARENT_ID)).isEqualTo(EMITTER_SPAN);
    assertThat(line.getFormattedMessage())
        .contains("span=\"kit-test.suspend\"", "kind=CONSUMER", "customer=" + request.customerId());
  }

  @Test
  void anEventWithoutTraceStartsOne() {
    CustomerSuspendRequested request =
        new CustomerSuspendRequested(EventMeta.start("untraced-" + suffix(), Clock.systemUTC()));
    bus.publish(request);

    assertThat(traceparentOfSuspended(request.customerId()))
        .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01")
        .doesNotContain(TRACE);
  }

  private String traceparentOfSuspended(String customerId) {
    ConsumerRecord<String, byte[]> record =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    bus.records(EventType.CUSTOMER_SUSPENDED).stream()
                        .filter(r -> customerId.equals(r.key()))
                        .findFirst()
                        .orElse(null),
                found -> found != null);
    String traceparent = BusProbe.header(record, TraceHeaders.TRACEPARENT);
    assertThat(traceparent).as("traceparent of the emitted event").isNotNull();
    return traceparent;
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  /** The span lines {@link SpanLog} writes. */
  private static final class SpanLines extends Handler {
    private final List<ExtLogRecord> lines = new CopyOnWriteArrayList<>();

    ExtLogRecord find(String spanId) {
      return lines.stream()
          .filter(l -> spanId.equals(l.getMdc(SpanLog.SPAN_ID)))
          .findFirst()
          .orElse(null);
    }

    @Override
    public void publish(LogRecord line) {
      if (line instanceof ExtLogRecord ext) {
        ext.copyMdc();
        lines.add(ext);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
