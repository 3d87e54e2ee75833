package dev.tenantplane.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.tenantplane.common.events.ContainersStarted;
import dev.tenantplane.common.events.CustomerReady;
import dev.tenantplane.common.events.CustomerRequested;
import dev.tenantplane.common.events.DatabaseMigrated;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.events.ResourcesAllocated;
import dev.tenantplane.common.events.RoutesPublished;
import dev.tenantplane.common.events.SealedEnvelope;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.common.testing.BusProbe;
import dev.tenantplane.gateway.api.Tokens;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Plays the other services' part of a customer's lifecycle for the gateway's tests: the customer is
 * requested through the API, and the events the provisioner, migrator, nginx-configurer and
 * health-monitor would emit are published on the bus.
 */
public final class LifecycleScript {
  public static final Clock CLOCK = Clock.systemUTC();
  public static final PortAssignment PORTS = new PortAssignment(3901, 6333, 7280);
  public static final SealedEnvelope SEALED = new SealedEnvelope("k1", "bm9uY2U=", "c2VhbGVk");
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final BusProbe bus;

  public LifecycleScript(BusProbe bus) {
    this.bus = bus;
  }

  /** Requests the customer through the API and returns the event the gateway emitted. */
  public CustomerRequested request(String id) {
    return request(id, "small");
  }

  /** Requests the customer on {@code plan} through the API; the event the gateway emitted. */
  public CustomerRequested request(String id, String plan) {
    return request(id, plan, "Customer " + id);
  }

  /** Requests the customer named {@code name} through the API; the event the gateway emitted. */
  public CustomerRequested request(String id, String plan, String name) {
    given()
        .auth()
        .oauth2(Tokens.admin())
        .contentType("application/json")
        .body(Map.of("id", id, "name", name, "plan", plan))
        .post("/api/v1/customers")
        .then()
        .statusCode(202);
    return awaitFor(CustomerRequested.class, id);
  }

  /** A new customer made READY through the provisioning events; returns its id. */
  public String readyCustomer(String purpose) {
    return readyCustomer(purpose, "small");
  }

  /** A new customer on {@code plan} made READY through the provisioning events; its id. */
  public String readyCustomer(String purpose, String plan) {
    String id = TestCustomers.id(purpose);
    publishProvisioningUpTo(request(id, plan), 5);
    await().atMost(WAIT).until(() -> TestCustomers.fetch(id).getString("status"), "READY"::equals);
    return id;
  }

  /** The first event of {@code type} for customer {@code id} on the bus, waiting for it. */
  public <E extends LifecycleEvent> E awaitFor(Class<E> type, String id) {
    return bus
        .await(type, events -> events.stream().anyMatch(e -> e.customerId().equals(id)), WAIT)
        .stream()
        .filter(e -> e.customerId().equals(id))
        .findFirst()
        .orElseThrow();
  }

  /**
   * The provisioning events after the request, in order, as the services would emit them: up to
   * five, from ResourcesAllocated to CustomerReady.
   */
  public static List<LifecycleEvent> provisioning(CustomerRequested requested, int steps) {
    EventMeta meta = requested.meta().next(CLOCK);
    List<LifecycleEvent> events =
        List.of(
            new ResourcesAllocated(meta, requested.name(), "small", PORTS, SEALED),
            new ContainersStarted(
                meta = meta.next(CLOCK), "small", PORTS, "network-x", List.of("db-x"), SEALED),
            new DatabaseMigrated(meta = meta.next(CLOCK), "1", PORTS, SEALED),
            new RoutesPublished(meta = meta.next(CLOCK), "h", "/", PORTS, SEALED),
            new CustomerReady(meta = meta.next(CLOCK), 5000));
    return events.subList(0, steps);
  }

  /** A customer allocated whose START_CONTAINERS then failed for good, as the bus carried it. */
  public record FailedStart(ResourcesAllocated allocated, StepFailed failed) {}

  /**
   * Publishes the allocation after {@code requested}, then START_CONTAINERS failing for good at its
   * fourth attempt with {@code reason}.
   */
  public FailedStart failStartContainers(CustomerRequested requested, String reason) {
    ResourcesAllocated allocated = (ResourcesAllocated) provisioning(requested, 1).get(0);
    StepFailed failed =
        new StepFailed(allocated.meta().next(CLOCK), Step.START_CONTAINERS, 4, reason, false, "x");
    bus.publish(allocated);
    bus.publish(failed);
    return new FailedStart(allocated, failed);
  }

  /** Publishes the first {@code steps} provisioning events; returns the last event published. */
  public LifecycleEvent publishProvisioningUpTo(CustomerRequested requested, int steps) {
    LifecycleEvent last = requested;
    for (LifecycleEvent event : provisioning(requested, steps)) {
      bus.publish(event);
      last = event;
    }
    return last;
  }
}
