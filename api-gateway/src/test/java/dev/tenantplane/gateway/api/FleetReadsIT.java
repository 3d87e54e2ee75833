package dev.tenantplane.gateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.tenantplane.common.events.CustomerReady;
import dev.tenantplane.common.events.CustomerRequested;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.testing.BusProbe;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.MetricsPage;
import dev.tenantplane.common.testing.TestInfrastructure;
import dev.tenantplane.gateway.LifecycleScript;
import dev.tenantplane.gateway.TestCustomers;
import dev.tenantplane.gateway.api.SseReader.Event;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the fleet page reads: the customer list with its search, and the fleet event stream. */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres,redis"))
class FleetReadsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PROVISIONING = "tenantplane_customer_provisioning_seconds";

  @TestHTTPResource("/api/v1/events")
  URI fleetEvents;

  private BusProbe bus;
  private LifecycleScript script;

  @BeforeEach
  void openProbe() {
    bus =
        new BusProbe(
            TestInfrastructure.kafka().bootstrapServers(),
            List.of(EventType.CUSTOMER_REQUESTED.topic()));
    script = new LifecycleScript(bus);
  }

  @AfterEach
  void closeProbe() {
    bus.close();
  }

  @Test
  void fleetStreamSendsEveryCustomersEventsAsTheyHappenAndResumesAfterTheLastEventId() {
    String earlier = TestCustomers.id("fleet-earlier");
    String first = TestCustomers.id("fleet-a");
    String second = TestCustomers.id("fleet-b");
    requestAndAwaitProjected(earlier);
    Event requested;
    try (SseReader stream =
        SseReader.open(fleetEvents, Tokens.create("viewer").token(), Map.of())) {
      CustomerRequested a = script.request(first);
      script.request(second);
      awaitEvent(stream, second, EventType.CUSTOMER_REQUESTED);
      requested = awaitEvent(stream, first, EventType.CUSTOMER_REQUESTED);
      assertThat(requested.data().getString("eventId")).isEqualTo(a.meta().eventId().toString());
      assertThat(stream.events())
          .as("a stream without Last-Event-ID starts from now")
          .noneMatch(e -> earlier.equals(e.data().getString("customerId")));

      // Missed while disconnected: the allocation of the first customer.
      stream.close();
      for (LifecycleEvent event : LifecycleScript.provisioning(a, 1)) {
        bus.publish(event);
      }
    }
    try (SseReader resumed =
        SseReader.open(
            fleetEvents, Tokens.admin(), Map.of(FleetEventStream.LAST_EVENT_ID, requested.id()))) {
      Event allocated = awaitEvent(resumed, first, EventType.RESOURCES_ALLOCATED);
      assertThat(Long.parseLong(allocated.id())).isGreaterThan(Long.parseLong(requested.id()));
      assertThat(allocated.data().getString("step")).isEqualTo("ALLOCATE_RESOURCES");
      assertThat(resumed.events())
          .as("events up to Last-Event-ID are not sent again")
          .allMatch(e -> Long.parseLong(e.id()) > Long.parseLong(requested.id()));
    }
  }

  @Test
  void streamsFromTheStartAndFromNowGetTheSameEventsInOrderEachOnce() {
    String before = TestCustomers.id("fleet-before");
    String during = TestCustomers.id("fleet-during");
    requestAndAwaitProjected(before);
    String viewer = Tokens.create("viewer").token();
    // The instance's streams share one reader that keeps the recent events: the live one is served
    // from it, the one from the start reads the table until it has caught up.
    try (SseReader live = SseReader.open(fleetEvents, viewer, Map.of());
        SseReader fromStart =
            SseReader.open(fleetEvents, viewer, Map.of(FleetEventStream.LAST_EVENT_ID, "0"))) {
      CustomerRequested requested = script.request(during);
      for (LifecycleEvent event : LifecycleScript.provisioning(requested, 1)) {
        bus.publish(event);
      }
      Event allocatedLive = awaitEvent(live, during, EventType.RESOURCES_ALLOCATED);
      awaitEvent(fromStart, during, EventType.RESOURCES_ALLOCATED);
      awaitEvent(fromStart, before, EventType.CUSTOMER_REQUESTED);

      List<Long> liveIds = live.events().stream().map(e -> Long.parseLong(e.id())).toList();
      List<Long> startIds = fromStart.events().stream().map(e -> Long.parseLong(e.id())).toList();
      assertThat(startIds)
          .as("from the start: in order, each once")
          .isSorted()
          .doesNotHaveDuplicates();
      assertThat(liveIds).as("from now: in order, each once").isSorted().doesNotHaveDuplicates();
      assertThat(startIds)
          .as("the stream from the start holds every event the live one sent")
          .containsAll(
              liveIds.stream().filter(id -> id <= Long.parseLong(allocatedLive.id())).toList());
    }
  }

  @Test
  void customerListFindsByIdOrNameIgnoringCaseAndShowsPortsAndTheLastError() {
    String id = TestCustomers.id("findme");
    CustomerRequested requested = script.request(id);
    script.failStartContainers(requested, "image missing");
    await().atMost(WAIT).until(() -> TestCustomers.fetch(id).getString("status"), "FAILED"::equals);

    JsonPath byId = list(Map.of("q", id.substring(3).toUpperCase()));
    assertThat(byId.getList("items.id", String.class)).containsExactly(id);
    assertThat(byId.getLong("total")).isEqualTo(1);
    assertThat(byId.getInt("items[0].ports.app")).isEqualTo(LifecycleScript.PORTS.app());
    assertThat(byId.getString("items[0].lastError.step")).isEqualTo("START_CONTAINERS");
    assertThat(byId.getString("items[0].lastError.reason")).isEqualTo("image missing");

    JsonPath byName = list(Map.of("q", "customer " + id, "status", "FAILED"));
    assertThat(byName.getList("items.id", String.class)).containsExactly(id);
    assertThat(list(Map.of("q", id, "status", "READY")).getList("items")).isEmpty();
    assertThat(list(Map.of("q", "%")).getList("items.id", String.class))
        .as("q is text, not a pattern")
        .isEmpty();
  }

  @Test
  void customerListSearchTakesPercentUnderscoreAndBackslashLiterally() {
    String literal = TestCustomers.id("literal");
    String lookalike = TestCustomers.id("lookalike");
    // As a pattern, the search below would find both; as text, only the first.
    script.request(literal, "small", "Half_off-50%\\" + literal);
    script.request(lookalike, "small", "Halfxoff-50x" + literal);
    for (String id : List.of(literal, lookalike)) {
      await().atMost(WAIT).ignoreExceptions().until(() -> TestCustomers.fetch(id) != null);
    }

    assertThat(list(Map.of("q", "LF_OFF-50%\\" + literal)).getList("items.id", String.class))
        .as("q is text, not a pattern")
        .containsExactly(literal);
    assertThat(list(Map.of("q", "xoff-50x" + literal)).getList("items.id", String.class))
        .containsExactly(lookalike);
  }

  @Test
  void metricsShowEachCustomersTimeFromRequestToReadyAndTheFleetByStatus() {
    String id = TestCustomers.id("timed");
    CustomerRequested requested = script.request(id);
    List<LifecycleEvent> steps = LifecycleScript.provisioning(requested, 4);
    steps.forEach(bus::publish);
    Clock later = Clock.fixed(requested.meta().time().plusMillis(42_500), ZoneOffset.UTC);
    bus.publish(new CustomerReady(steps.get(3).meta().next(later), 42_500));
    await().atMost(WAIT).until(() -> TestCustomers.fetch(id).getString("status"), "READY"::equals);

    // The gauges read the customers by status and the provisioning times one after the other, so
    // a refresh can see the READY only in its second read; the next refresh shows both.
    MetricsPage page =
        await()
            .atMost(WAIT)
            .until(
                FleetReadsIT::metrics,
                m ->
                    m.has(PROVISIONING, Map.of("customer", id))
                        && m.has("tenantplane_customers", Map.of("status", "READY")));
    assertThat(page.value(PROVISIONING, Map.of("customer", id))).isCloseTo(42.5, within(0.01));
    assertThat(page.value("tenantplane_customers", Map.of("status", "READY"))).isGreaterThan(0);
    assertThat(page.has("tenantplane_dead_letters_unreplayed", Map.of())).isTrue();
  }

  private static MetricsPage metrics() {
    return new MetricsPage(given().get("/q/metrics").then().statusCode(200).extract().asString());
  }

  private static JsonPath list(Map<String, String> query) {
    return given()
        .auth()
        .oauth2(Tokens.admin())
        .queryParams(query)
        .get("/api/v1/customers")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  /** A customer whose request is in the timeline already, so in the past for a new stream. */
  private void requestAndAwaitProjected(String id) {
    script.request(id);
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> TestCustomers.fetch(id).getList("timeline"), t -> !t.isEmpty());
  }

  private static Event awaitEvent(SseReader stream, String customer, EventType type) {
    return await()
        .atMost(WAIT)
        .alias("a " + type.wireType() + " of " + customer + " on the fleet stream")
        .until(
            () ->
                stream.events().stream()
                    .filter(
                        e ->
                            customer.equals(e.data().getString("customerId"))
                                && type.wireType().equals(e.name()))
                    .findFirst(),
            found -> found.isPresent())
        .orElseThrow();
  }
}
