package dev.tenantplane.kit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tenantplane.common.events.CustomerResumeRequested;
import dev.tenantplane.common.events.CustomerResumed;
import dev.tenantplane.common.events.CustomerSuspendRequested;
import dev.tenantplane.common.events.CustomerSuspended;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.common.events.Topics;
import dev.tenantplane.common.testing.BusProbe;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.KafkaBroker;
import dev.tenantplane.common.testing.MetricsPage;
import dev.tenantplane.common.testing.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres"))
class StepRunnerIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String DURATION_COUNT = "tenantplane_step_duration_seconds_count";

  @Inject SuspendStep step;
  private BusProbe bus;

  @BeforeEach
  void openProbe() {
    bus =
        new BusProbe(
            TestInfrastructure.kafka().bootstrapServers(),
            List.of(
                EventType.CUSTOMER_SUSPENDED.topic(),
                EventType.STEP_FAILED.topic(),
                Topics.DEAD_LETTER));
  }

  @AfterEach
  void closeProbe() {
    bus.close();
  }

  @Test
  void handledEventEmitsItsResultThroughTheOutboxWithCausation() {
    CustomerSuspendRequested request = request("ok-" + suffix());
    bus.publish(request);

    CustomerSuspended suspended = awaitSuspended(request);
    assertThat(suspended.meta().causationId()).isEqualTo(request.meta().eventId());
    assertThat(suspended.meta().correlationId()).isEqualTo(request.meta().correlationId());
  }

  @Test
  void redeliveredEventChangesNothingTheSecondTime() {
    CustomerSuspendRequested request = request("dup-" + suffix());
    bus.publish(request);
    awaitSuspended(request);

    bus.publish(request);
    // Same customer, so the same partition: handled only after the redelivered copy.
    CustomerSuspendRequested marker =
        new CustomerSuspendRequested(EventMeta.start(request.customerId(), Clock.systemUTC()));
    bus.publish(marker);
    bus.await(
        CustomerSuspended.class,
        events ->
            events.stream().filter(e -> e.customerId().equals(request.customerId())).count() >= 2,
        WAIT);

    assertThat(suspendedFor(request))
        .extracting(e -> e.meta().causationId())
        .containsExactly(request.meta().eventId(), marker.meta().eventId());
    assertThat(step.calls(request.customerId())).isEqualTo(2);
  }

  @Test
  void aCustomerWhoseStepWaitsDoesNotHoldUpAnotherCustomerOnTheSamePartition() {
    CustomerSuspendRequested held = request("held-" + suffix());
    CustomerSuspendRequested other = request(samePartitionAs(held.customerId(), "other-"));
    try {
      bus.publish(held);
      bus.publish(other);

      awaitSuspended(other);
      assertThat(suspendedFor(held)).as("the held customer is still being handled").isEmpty();
    } finally {
      step.release(held.customerId());
    }
    awaitSuspended(held);
  }

  @Test
  void oneCustomersEventsAreHandledInTheirOrderWhileItsStepWaits() {
    CustomerSuspendRequested first = request("held-" + suffix());
    CustomerSuspendRequested second =
        new CustomerSuspendRequested(EventMeta.start(first.customerId(), Clock.systemUTC()));
    bus.publish(first);
    bus.publish(second);
    step.release(first.customerId());

    bus.await(
        CustomerSuspended.class,
        events ->
            events.stream().filter(e -> e.customerId().equals(first.customerId())).count() >= 2,
        WAIT);
    assertThat(suspendedFor(first))
        .extracting(e -> e.meta().causationId())
        .containsExactly(first.meta().eventId(), second.meta().eventId());
  }

  @Test
  void retriesOfAFailingCustomerDoNotHoldUpAnotherCustomerOnTheSamePartition() {
    CustomerSuspendRequested failing = request("fails-" + suffix());
    CustomerSuspendRequested other = request(samePartitionAs(failing.customerId(), "other-"));
    bus.publish(failing);
    bus.publish(other);

    CustomerSuspended done = awaitSuspended(other);
    List<StepFailed> failures = failuresFor(failing, 3);
    assertThat(failures).extracting(StepFailed::attempt).containsExactly(1, 2, 3);
    // The waits between attempts (100 ms, then 200 ms) do not delay the other customer.
    assertThat(done.meta().time()).isBefore(failures.get(2).meta().time());
  }

  @Test
  void transientFailureIsRetriedAndReported() {
    CustomerSuspendRequested request = request("flaky-" + suffix());
    bus.publish(request);

    awaitSuspended(request);
    List<StepFailed> failures = failuresFor(request, 1);
    assertThat(failures.get(0).attempt()).isEqualTo(1);
    assertThat(failures.get(0).retryable()).isTrue();
    assertThat(failures.get(0).detail()).isEqualTo("exit code 1");
    // Both attempts, the second on a thread of its own after the wait, logged in the step's
    // context.
    String context =
        request.customerId() + " " + request.meta().eventId() + " SUSPEND kit-test.suspend";
    assertThat(step.logContexts(request.customerId())).containsExactly(context, context);
  }

  @Test
  void lastFailedAttemptFailsTheStepAndDeadLettersTheEvent() {
    CustomerSuspendRequested request = request("fails-" + suffix());
    bus.publish(request);

    List<StepFailed> failures = failuresFor(request, 3);
    assertThat(failures).extracting(StepFailed::attempt).containsExactly(1, 2, 3);
    assertThat(failures).extracting(StepFailed::retryable).containsExactly(true, true, false);
    assertThat(failures.get(2).reason()).contains("would not stop");
    var deadLetter = awaitDeadLetter(request.meta().eventId().toString());
    assertThat(BusProbe.header(deadLetter, "tp_consumer")).isEqualTo("kit-test.suspend");
    assertThat(BusProbe.header(deadLetter, "tp_step")).isEqualTo("SUSPEND");
    assertThat(BusProbe.header(deadLetter, "tp_reason")).contains("would not stop");
    assertThat(suspendedFor(request)).isEmpty();
  }

  @Test
  void everyAttemptIsCountedAndTimedOnTheMetricsPageByConsumerStepAndOutcome() {
    Map<String, String> failedAttempt =
        Map.of("consumer", "kit-test.suspend", "step", "SUSPEND", "outcome", "attempt-failed");
    Map<String, String> failed =
        Map.of("consumer", "kit-test.suspend", "step", "SUSPEND", "outcome", "failed");
    MetricsPage before = metrics();
    CustomerSuspendRequested request = request("fails-" + suffix());
    bus.publish(request);
    failuresFor(request, 3);

    MetricsPage after =
        await()
            .atMost(WAIT)
            .until(
                StepRunnerIT::metrics,
                page ->
                    page.value(DURATION_COUNT, failed) == before.value(DURATION_COUNT, failed) + 1);
    assertThat(after.value(DURATION_COUNT, failedAttempt))
        .isEqualTo(before.value(DURATION_COUNT, failedAttempt) + 2);
    assertThat(after.value("tenantplane_step_duration_seconds_sum", failed))
        .isGreaterThan(before.value("tenantplane_step_duration_seconds_sum", failed));
    assertThat(after.has("tenantplane_step_duration_seconds_bucket", failed)).isTrue();
    Map<String, String> outcome = Map.of("consumer", "kit-test.suspend", "outcome", "failed");
    assertThat(after.value("tenantplane_step_outcomes_total", outcome))
        .isEqualTo(before.value("tenantplane_step_outcomes_total", outcome) + 1);
  }

  private static MetricsPage metrics() {
    return new MetricsPage(given().get("/q/metrics").then().statusCode(200).extract().asString());
  }

  @Test
  void nonRetryableFailureFailsAtOnce() {
    CustomerSuspendRequested request = request("hopeless-" + suffix());
    bus.publish(request);

    List<StepFailed> failures = failuresFor(request, 1);
    assertThat(failures.get(0).retryable()).isFalse();
    assertThat(step.calls(request.customerId())).isEqualTo(1);
  }

  @Test
  void anUnreadableRecordOfTheStepsTypeIsCountedAndSkippedAndTheCustomersLaterEventsStillFlow() {
    Map<String, String> malformed = Map.of("consumer", "kit-test.suspend", "outcome", "malformed");
    MetricsPage before = metrics();
    String customer = "garbled-" + suffix();
    ProducerRecord<String, byte[]> garbled =
        new ProducerRecord<>(
            Topics.LIFECYCLE, customer, "not an event".getBytes(StandardCharsets.UTF_8));
    garbled
        .headers()
        .add(
            "ce_type",
            EventType.CUSTOMER_SUSPEND_REQUESTED.wireType().getBytes(StandardCharsets.UTF_8));
    bus.send(garbled);
    CustomerSuspendRequested after = request(customer);
    bus.publish(after);

    awaitSuspended(after);
    assertThat(step.calls(customer)).isEqualTo(1);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(metrics().value("tenantplane_step_outcomes_total", malformed))
                    .isEqualTo(before.value("tenantplane_step_outcomes_total", malformed) + 1));
  }

  @Test
  void eventsOfOtherTypesInTheCustomersStreamAreNotTheStepsToHandle() {
    String customer = "other-types-" + suffix();
    bus.publish(new CustomerResumeRequested(EventMeta.start(customer, Clock.systemUTC())));
    bus.publish(new CustomerResumed(EventMeta.start(customer, Clock.systemUTC())));
    CustomerSuspendRequested request = request(customer);
    bus.publish(request);

    awaitSuspended(request);
    assertThat(step.calls(customer)).isEqualTo(1);
    assertThat(bus.events(StepFailed.class)).noneMatch(e -> e.customerId().equals(customer));
  }

  private CustomerSuspended awaitSuspended(CustomerSuspendRequested request) {
    return bus
        .await(
            CustomerSuspended.class,
            events -> events.stream().anyMatch(e -> e.customerId().equals(request.customerId())),
            WAIT)
        .stream()
        .filter(e -> e.customerId().equals(request.customerId()))
        .findFirst()
        .orElseThrow();
  }

  private List<CustomerSuspended> suspendedFor(CustomerSuspendRequested request) {
    return bus.events(CustomerSuspended.class).stream()
        .filter(e -> e.customerId().equals(request.customerId()))
        .toList();
  }

  private List<StepFailed> failuresFor(CustomerSuspendRequested request, int count) {
    return bus
        .await(
            StepFailed.class,
            events ->
                events.stream().filter(e -> e.customerId().equals(request.customerId())).count()
                    >= count,
            WAIT)
        .stream()
        .filter(e -> e.customerId().equals(request.customerId()))
        .toList();
  }

  private ConsumerRecord<String, byte[]> awaitDeadLetter(String eventId) {
    return await()
        .atMost(WAIT)
        .until(
            () ->
                bus.records(Topics.DEAD_LETTER).stream()
                    .filter(r -> eventId.equals(BusProbe.header(r, "ce_id")))
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  private static CustomerSuspendRequested request(String customerId) {
    return new CustomerSuspendRequested(EventMeta.start(customerId, Clock.systemUTC()));
  }

  /** A customer id with {@code prefix} whose records land on the same partition as {@code id}. */
  private static String samePartitionAs(String id, String prefix) {
    int partition = partition(id);
    while (true) {
      String candidate = prefix + suffix();
      if (partition(candidate) == partition) {
        return candidate;
      }
    }
  }

  private static int partition(String key) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8)))
        % KafkaBroker.PARTITIONS;
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
