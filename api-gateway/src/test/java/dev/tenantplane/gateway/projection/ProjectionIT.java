package dev.tenantplane.gateway.projection;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.startsWith;

import dev.tenantplane.common.events.CustomerArchived;
import dev.tenantplane.common.events.CustomerDeprovisionRequested;
import dev.tenantplane.common.events.CustomerDeprovisioned;
import dev.tenantplane.common.events.CustomerReady;
import dev.tenantplane.common.events.CustomerRequested;
import dev.tenantplane.common.events.CustomerResumeRequested;
import dev.tenantplane.common.events.CustomerSuspendRequested;
import dev.tenantplane.common.events.CustomerSuspended;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.events.ResourcesAllocated;
import dev.tenantplane.common.events.RoutesPublished;
import dev.tenantplane.common.events.SealedEnvelope;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.common.naming.PlatformRedisKeys;
import dev.tenantplane.common.testing.BusProbe;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.TestInfrastructure;
import dev.tenantplane.gateway.LifecycleScript;
import dev.tenantplane.gateway.TestCustomers;
import dev.tenantplane.gateway.api.Tokens;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres,redis"))
class ProjectionIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Clock CLOCK = LifecycleScript.CLOCK;
  private static final PortAssignment PORTS = LifecycleScript.PORTS;
  private static final SealedEnvelope SEALED = LifecycleScript.SEALED;

  @Inject RedisDataSource redis;
  private BusProbe bus;
  private LifecycleScript script;

  @BeforeEach
  void openProbe() {
    bus =
        new BusProbe(
            TestInfrastructure.kafka().bootstrapServers(),
            List.of(
                EventType.CUSTOMER_REQUESTED.topic(),
                EventType.RESOURCES_ALLOCATED.topic(),
                EventType.CUSTOMER_SUSPEND_REQUESTED.topic(),
                EventType.CUSTOMER_RESUME_REQUESTED.topic(),
                EventType.CUSTOMER_DEPROVISION_REQUESTED.topic()));
    script = new LifecycleScript(bus);
  }

  @AfterEach
  void closeProbe() {
    bus.close();
  }

  @Test
  void lifecycleEventsOfTheOtherServicesMakeTheCustomerReadyWithACompleteTimeline() {
    String id = unique("ready");
    CustomerRequested requested = request(id);
    LifecycleEvent last = publishProvisioningUpTo(requested, 5);

    JsonPath customer = awaitCustomer(id, c -> "READY".equals(c.getString("status")));

    assertThat(customer.getList("timeline.type", String.class))
        .containsExactly(
            EventType.CUSTOMER_REQUESTED.wireType(),
            EventType.RESOURCES_ALLOCATED.wireType(),
            EventType.CONTAINERS_STARTED.wireType(),
            EventType.DATABASE_MIGRATED.wireType(),
            EventType.ROUTES_PUBLISHED.wireType(),
            EventType.CUSTOMER_READY.wireType());
    assertThat(customer.getList("timeline.step", String.class))
        .containsExactly(
            null,
            "ALLOCATE_RESOURCES",
            "START_CONTAINERS",
            "MIGRATE_DATABASE",
            "PUBLISH_ROUTES",
            "AWAIT_HEALTHY");
    assertThat(customer.getList("timeline.durationMillis", Long.class)).allMatch(d -> d >= 0);
    assertThat(customer.getInt("ports.app")).isEqualTo(PORTS.app());
    assertThat(customer.getString("health.status")).isEqualTo("HEALTHY");
    assertThat(customer.prettify()).doesNotContain(SEALED.ciphertext());
    assertThat(last.meta().correlationId()).isEqualTo(requested.meta().correlationId());
  }

  @Test
  void aBurstOfManyCustomersEventsWithEveryEventTwiceMakesEachReadyWithEachEventOnce() {
    List<String> ids = new ArrayList<>();
    List<LifecycleEvent> burst = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String id = unique("burst" + i);
      ids.add(id);
      CustomerRequested requested = request(id);
      for (LifecycleEvent event : LifecycleScript.provisioning(requested, 5)) {
        burst.add(event);
        burst.add(event);
      }
    }
    // Published back to back, so the projection reads them in few polls of many records.
    burst.forEach(bus::publish);

    for (String id : ids) {
      JsonPath customer = awaitCustomer(id, c -> "READY".equals(c.getString("status")));
      List<String> eventIds = customer.getList("timeline.eventId", String.class);
      assertThat(eventIds).as(id).hasSize(6).doesNotHaveDuplicates();
    }
  }

  @Test
  void statusShowsTheComponentsAndJobQueueTheHealthMonitorLastReadAndNoneOnceItsCopyIsGone() {
    String id = unique("queue");
    publishProvisioningUpTo(request(id), 5);
    awaitCustomer(id, c -> "READY".equals(c.getString("status")));
    assertThat(TestCustomers.fetch(id).getMap("queue")).isNull();

    redis
        .value(String.class)
        .setex(
            PlatformRedisKeys.currentHealth(id),
            60,
            "{\"customer\":\""
                + id
                + "\",\"health\":\"healthy\",\"checkedAt\":\"2026-12-03T10:00:00Z\","
                + "\"components\":{\"postgres\":\"ok\",\"worker\":\"no heartbeat\"},"
                + "\"queue\":{\"waiting\":4,\"delayed\":1,\"running\":1,\"failed\":2,"
                + "\"oldestWaitingSeconds\":7.5}}");
    JsonPath customer = TestCustomers.fetch(id);
    assertThat(customer.getLong("queue.waiting")).isEqualTo(4);
    assertThat(customer.getLong("queue.delayed")).isEqualTo(1);
    assertThat(customer.getLong("queue.running")).isEqualTo(1);
    assertThat(customer.getLong("queue.failed")).isEqualTo(2);
    assertThat(customer.getDouble("queue.oldestWaitingSeconds")).isEqualTo(7.5);
    assertThat(customer.getString("queue.observedAt")).isEqualTo("2026-12-03T10:00:00Z");
    assertThat(customer.getMap("components", String.class, String.class))
        .containsOnly(Map.entry("postgres", "ok"), Map.entry("worker", "no heartbeat"));

    redis.key(String.class).del(PlatformRedisKeys.currentHealth(id));
    assertThat(TestCustomers.fetch(id).getMap("queue")).isNull();
    assertThat(TestCustomers.fetch(id).getMap("components")).isNull();
  }

  @Test
  void duplicateAndLateEventsDoNotMoveTheStatusBack() {
    String id = unique("order");
    CustomerRequested requested = request(id);
    publishProvisioningUpTo(requested, 4);
    awaitCustomer(id, c -> "ROUTED".equals(c.getString("status")));

    ResourcesAllocated late =
        new ResourcesAllocated(requested.meta().next(CLOCK), "Late", "small", PORTS, SEALED);
    bus.publish(late);
    bus.publish(late);
    RoutesPublished routedAgain =
        new RoutesPublished(requested.meta().next(CLOCK), "h", "/", PORTS, SEALED);
    bus.publish(routedAgain);

    JsonPath customer =
        awaitCustomer(
            id,
            c ->
                c.getList("timeline.eventId", String.class)
                    .containsAll(
                        List.of(
                            late.meta().eventId().toString(),
                            routedAgain.meta().eventId().toString())));
    assertThat(customer.getString("status")).isEqualTo("ROUTED");
    assertThat(customer.getList("timeline.eventId", String.class))
        .filteredOn(e -> e.equals(late.meta().eventId().toString()))
        .hasSize(1);
  }

  @Test
  void failedStepIsRetriedByReEmittingItsInputWithANewId() {
    String id = unique("retry");
    CustomerRequested requested = request(id);
    ResourcesAllocated allocated =
        new ResourcesAllocated(requested.meta().next(CLOCK), "Retry", "small", PORTS, SEALED);
    bus.publish(allocated);
    operator().post("/api/v1/customers/" + id + "/retry").then().statusCode(409);
    StepFailed failed =
        new StepFailed(
            allocated.meta().next(CLOCK), Step.START_CONTAINERS, 4, "image missing", false, "x");
    bus.publish(failed);
    JsonPath customer = awaitCustomer(id, c -> "FAILED".equals(c.getString("status")));
    assertThat(customer.getString("failedStep")).isEqualTo("START_CONTAINERS");
    assertThat(customer.getString("lastError.reason")).isEqualTo("image missing");

    operator().post("/api/v1/customers/" + id + "/retry").then().statusCode(202);

    ResourcesAllocated copy =
        bus
            .await(
                ResourcesAllocated.class,
                events -> events.stream().anyMatch(e -> isCopy(e, allocated)),
                WAIT)
            .stream()
            .filter(e -> isCopy(e, allocated))
            .findFirst()
            .orElseThrow();
    assertThat(copy.meta().causationId()).isEqualTo(failed.meta().eventId());
    assertThat(copy.meta().correlationId()).isEqualTo(allocated.meta().correlationId());
    assertThat(copy.credentials()).isEqualTo(SEALED);
    assertThat(copy.ports()).isEqualTo(PORTS);
    awaitCustomer(id, c -> "ALLOCATED".equals(c.getString("status")));
  }

  @Test
  void eventStreamReplaysTheTimelineFollowsLiveAndEndsAtReady() throws Exception {
    String id = unique("sse");
    CustomerRequested requested = request(id);
    LifecycleEvent routed = publishProvisioningUpTo(requested, 4);
    awaitCustomer(id, c -> "ROUTED".equals(c.getString("status")));
    String token = Tokens.admin();

    CompletableFuture<String> stream =
        CompletableFuture.supplyAsync(
            () ->
                given()
                    .auth()
                    .oauth2(token)
                    .accept("text/event-stream")
                    .get("/api/v1/customers/" + id + "/events")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString());
    assertThat(stream).isNotDone();
    bus.publish(new CustomerReady(routed.meta().next(CLOCK), 1234));

    String events = stream.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(events)
        .contains("event:" + EventType.CUSTOMER_REQUESTED.wireType())
        .contains("event:" + EventType.ROUTES_PUBLISHED.wireType());
    assertThat(events.strip()).contains("event:" + EventType.CUSTOMER_READY.wireType());
    assertThat(events.lastIndexOf("event:"))
        .isEqualTo(events.indexOf("event:" + EventType.CUSTOMER_READY.wireType()));
  }

  @Test
  void suspendResumeAndDeprovisionAreAcceptedOnlyWhereTheyApplyAndEmitTheirRequests() {
    String id = unique("pause");
    CustomerRequested requested = request(id);
    publishProvisioningUpTo(requested, 5);
    awaitCustomer(id, c -> "READY".equals(c.getString("status")));
    operator().post("/api/v1/customers/" + id + "/resume").then().statusCode(409);

    operator().post("/api/v1/customers/" + id + "/suspend").then().statusCode(202);
    CustomerSuspendRequested suspend = awaitFor(CustomerSuspendRequested.class, id);
    bus.publish(new CustomerSuspended(suspend.meta().next(CLOCK)));
    awaitCustomer(id, c -> "SUSPENDED".equals(c.getString("status")));
    operator().post("/api/v1/customers/" + id + "/resume").then().statusCode(202);
    awaitFor(CustomerResumeRequested.class, id);

    operator().delete("/api/v1/customers/" + id + "?purge=true").then().statusCode(202);
    assertThat(awaitFor(CustomerDeprovisionRequested.class, id).purge()).isTrue();
    operator().delete("/api/v1/customers/" + id + "?purge=maybe").then().statusCode(400);
    operator().post("/api/v1/customers/no-such-customer/suspend").then().statusCode(404);
  }

  @Test
  void deprovisionWithoutPurgeArchivesListingVolumesAndOnlyAPurgeIsAcceptedAfterwards() {
    String id = unique("archive");
    publishProvisioningUpTo(request(id), 5);
    awaitCustomer(id, c -> "READY".equals(c.getString("status")));

    operator().delete("/api/v1/customers/" + id).then().statusCode(202);
    CustomerDeprovisionRequested archive = awaitFor(CustomerDeprovisionRequested.class, id);
    assertThat(archive.purge()).isFalse();
    String backupFile = "customers/" + id + "/backups/x-archive.sql";
    bus.publish(
        new CustomerArchived(
            archive.meta().next(CLOCK),
            backupFile,
            List.of(
                new CustomerArchived.ArchivedVolume(id + "_db_data", 48_000_000),
                new CustomerArchived.ArchivedVolume(id + "_redis_data", 4_096))));

    JsonPath archived = awaitCustomer(id, c -> "ARCHIVED".equals(c.getString("status")));
    assertThat(archived.getString("archive.backupFile")).isEqualTo(backupFile);
    assertThat(archived.getList("archive.volumes.name", String.class))
        .containsExactly(id + "_db_data", id + "_redis_data");
    assertThat(archived.getLong("archive.bytes")).isEqualTo(48_004_096L);
    JsonPath listed =
        operator().get("/api/v1/customers?status=ARCHIVED&size=100").then().extract().jsonPath();
    assertThat(listed.getList("items.findAll { it.id == '" + id + "' }.archive.bytes", Long.class))
        .containsExactly(48_004_096L);

    operator().delete("/api/v1/customers/" + id).then().statusCode(409);
    operator().post("/api/v1/customers/" + id + "/suspend").then().statusCode(409);
    operator().delete("/api/v1/customers/" + id + "?purge=true").then().statusCode(202);
    CustomerDeprovisionRequested purge =
        bus
            .await(
                CustomerDeprovisionRequested.class,
                events -> events.stream().anyMatch(e -> e.customerId().equals(id) && e.purge()),
                WAIT)
            .stream()
            .filter(e -> e.customerId().equals(id) && e.purge())
            .findFirst()
            .orElseThrow();
    awaitCustomer(id, c -> "DEPROVISIONING".equals(c.getString("status")));
    bus.publish(new CustomerDeprovisioned(purge.meta().next(CLOCK)));

    JsonPath gone = awaitCustomer(id, c -> "DEPROVISIONED".equals(c.getString("status")));
    assertThat(gone.getString("archive")).as("nothing is held any more").isNull();
  }

  @Test
  void refusedRestartSuspendOrResumeIsRecordedButLeavesReadyOrSuspendedAsItWas() {
    String id = "gx-sidestep-" + UUID.randomUUID().toString().substring(0, 8);
    publishProvisioningUpTo(request(id), 5);
    awaitCustomer(id, c -> "READY".equals(c.getString("status")));

    StepFailed restartRefused =
        new StepFailed(EventMeta.start(id, CLOCK), Step.RESTART, 1, "restart refused", false, "x");
    bus.publish(restartRefused);
    JsonPath ready = awaitCustomer(id, c -> hasLastError(c, "restart refused"));
    assertThat(ready.getString("status")).isEqualTo("READY");
    assertThat(ready.getString("lastError.step")).isEqualTo("RESTART");
    assertThat(ready.getList("timeline.step", String.class)).contains("RESTART");

    operator().post("/api/v1/customers/" + id + "/suspend").then().statusCode(202);
    CustomerSuspendRequested suspend = awaitFor(CustomerSuspendRequested.class, id);
    bus.publish(new CustomerSuspended(suspend.meta().next(CLOCK)));
    awaitCustomer(id, c -> "SUSPENDED".equals(c.getString("status")));
    bus.publish(
        new StepFailed(EventMeta.start(id, CLOCK), Step.RESUME, 1, "resume refused", false, "x"));
    bus.publish(
        new StepFailed(EventMeta.start(id, CLOCK), Step.RESTART, 2, "still refused", false, "x"));

    JsonPath suspended = awaitCustomer(id, c -> hasLastError(c, "still refused"));
    assertThat(suspended.getString("status")).isEqualTo("SUSPENDED");
    assertThat(suspended.getList("timeline.step", String.class)).contains("RESUME");
    operator().post("/api/v1/customers/" + id + "/retry").then().statusCode(409);
  }

  @Test
  void provisioningStepFailingAfterTheDeprovisionIsInTheTimelineButNotTheLastError() {
    String id = unique("overtaken");
    CustomerRequested requested = request(id);
    LifecycleEvent started = publishProvisioningUpTo(requested, 2);
    awaitCustomer(id, c -> "CONTAINERS_STARTED".equals(c.getString("status")));
    operator().delete("/api/v1/customers/" + id + "?purge=true").then().statusCode(202);
    awaitCustomer(id, c -> "DEPROVISIONING".equals(c.getString("status")));

    StepFailed gone =
        new StepFailed(
            started.meta().next(CLOCK), Step.MIGRATE_DATABASE, 4, "database gone", false, "x");
    bus.publish(gone);

    JsonPath customer =
        awaitCustomer(
            id,
            c ->
                c.getList("timeline.eventId", String.class)
                    .contains(gone.meta().eventId().toString()));
    assertThat(customer.getString("status")).isEqualTo("DEPROVISIONING");
    assertThat(customer.getString("lastError")).isNull();
  }

  @Test
  void manifestIsTheSeedsBlockOnceThePortsAreKnownAndAViewerMayReadIt() {
    String id = unique("manifest");
    CustomerRequested requested = request(id);
    given()
        .auth()
        .oauth2(Tokens.admin())
        .get("/api/v1/customers/" + id + "/manifest")
        .then()
        .statusCode(409);

    publishProvisioningUpTo(requested, 5);
    awaitCustomer(id, c -> "READY".equals(c.getString("status")));

    String manifest =
        given()
            .auth()
            .oauth2(Tokens.create("viewer").token())
            .get("/api/v1/customers/" + id + "/manifest")
            .then()
            .statusCode(200)
            .contentType(startsWith("text/plain"))
            .extract()
            .asString();
    assertThat(manifest)
        .startsWith("Customer Information:\n  ID:                     " + id + "\n")
        .contains("  Application:            localhost:" + PORTS.app() + "\n")
        .contains("  Password:               [See .env file]\n")
        .doesNotContain(SEALED.ciphertext());
    given()
        .auth()
        .oauth2(Tokens.admin())
        .get("/api/v1/customers/no-such-customer/manifest")
        .then()
        .statusCode(404);
  }

  private static boolean hasLastError(JsonPath customer, String reason) {
    return reason.equals(customer.getString("lastError.reason"));
  }

  private <E extends LifecycleEvent> E awaitFor(Class<E> type, String id) {
    return script.awaitFor(type, id);
  }

  private static boolean isCopy(ResourcesAllocated candidate, ResourcesAllocated original) {
    return candidate.customerId().equals(original.customerId())
        && !candidate.meta().eventId().equals(original.meta().eventId());
  }

  private CustomerRequested request(String id) {
    return script.request(id);
  }

  private LifecycleEvent publishProvisioningUpTo(CustomerRequested requested, int steps) {
    return script.publishProvisioningUpTo(requested, steps);
  }

  private static JsonPath awaitCustomer(String id, Predicate<JsonPath> condition) {
    return TestCustomers.await(id, condition);
  }

  private static io.restassured.specification.RequestSpecification operator() {
    return given().auth().oauth2(Tokens.admin()).contentType("application/json");
  }

  private static String unique(String purpose) {
    return TestCustomers.id(purpose);
  }
}
