package dev.tenantplane.provisioner.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import dev.tenantplane.common.crypto.EnvelopeSealer;
import dev.tenantplane.common.crypto.TenantSecrets;
import dev.tenantplane.common.events.ContainersStarted;
import dev.tenantplane.common.events.CustomerDeprovisioned;
import dev.tenantplane.common.events.CustomerRequested;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.ResourcesAllocated;
import dev.tenantplane.common.events.RoutesWithdrawn;
import dev.tenantplane.common.events.SealedEnvelope;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.common.testing.BusProbe;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.TestInfrastructure;
import dev.tenantplane.provisioner.TestStacks;
import dev.tenantplane.provisioner.allocation.Allocation;
import dev.tenantplane.provisioner.allocation.AllocationStore;
import dev.tenantplane.provisioner.allocation.PortAllocator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A deprovision that overtakes the provisioning of the same customer: whatever the order in which
 * the steps run, the customer ends deprovisioned with nothing of it left, and events that arrive
 * late build nothing and fail nothing. Each test waits for the steps it races to have handled their
 * events (their inbox rows), so "nothing left" is checked after the last of them.
 */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres"))
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeprovisionDuringProvisioningIT {
  private static final Duration WAIT = Duration.ofSeconds(180);
  private static final Path CUSTOMERS = Path.of("target/customers");

  @Inject DockerClient docker;
  @Inject AllocationStore store;
  @Inject PortAllocator allocator;
  @Inject EnvelopeSealer sealer;
  @Inject DataSource dataSource;

  private final SecureRandom random = new SecureRandom();
  private final List<String> customers = new ArrayList<>();
  private BusProbe bus;

  @BeforeAll
  void openProbe() {
    bus =
        new BusProbe(
            TestInfrastructure.kafka().bootstrapServers(),
            List.of(
                EventType.RESOURCES_ALLOCATED.topic(),
                EventType.CONTAINERS_STARTED.topic(),
                EventType.STEP_FAILED.topic(),
                EventType.CUSTOMER_DEPROVISIONED.topic()));
  }

  @AfterEach
  void removeWhatTheTestCreated() {
    TestStacks.removeEverythingLabelledFor(docker, customers);
    customers.clear();
  }

  @AfterAll
  void closeProbe() {
    bus.close();
  }

  @Test
  void withdrawalWhileTheStackIsBeingStartedLeavesNothingBehind() throws Exception {
    String id = customer();
    bus.publish(
        new CustomerRequested(EventMeta.start(id, Clock.systemUTC()), "Hasty Ltd", "small", null));
    ResourcesAllocated allocated = awaitOne(ResourcesAllocated.class, id);

    // Right behind the allocation: the start step is still creating the containers.
    bus.publish(new RoutesWithdrawn(allocated.meta().next(Clock.systemUTC()), true));

    awaitOne(CustomerDeprovisioned.class, id);
    awaitHandled("provisioner.start", allocated);
    assertNothingLeftFor(id);
    assertThat(store.find(id)).as("ports and secrets released").isEmpty();
    assertThat(failuresOf(id)).as("steps failed for the customer").isEmpty();
  }

  @Test
  void lateAllocationAndRequestAfterTheWithdrawalBuildNothingAndFailNothing() throws Throwable {
    String id = customer();
    SealedEnvelope sealed = TenantSecrets.generate(random).seal(id, sealer);
    Allocation allocation = TestStacks.allocate(allocator, id, "Late Ltd", sealed);
    EventMeta run = EventMeta.start(id, Clock.systemUTC());
    // With purge: without it the customer would be archived, keeping its allocation.
    bus.publish(new RoutesWithdrawn(run, true));
    awaitOne(CustomerDeprovisioned.class, id);

    ResourcesAllocated late =
        new ResourcesAllocated(
            run.next(Clock.systemUTC()), "Late Ltd", "small", allocation.ports(), sealed);
    bus.publish(late);
    CustomerRequested lateRequest =
        new CustomerRequested(run.next(Clock.systemUTC()), "Late Ltd", "small", null);
    bus.publish(lateRequest);

    awaitHandled("provisioner.start", late);
    awaitHandled("provisioner.allocate", lateRequest);
    assertNothingLeftFor(id);
    assertThat(eventsFor(ContainersStarted.class, id)).isEmpty();
    assertThat(eventsFor(ResourcesAllocated.class, id))
        .as("allocations after the withdrawal, besides the late one published here")
        .extracting(e -> e.meta().eventId())
        .containsExactly(late.meta().eventId());
    assertThat(store.find(id)).isEmpty();
    assertThat(failuresOf(id)).isEmpty();
  }

  /**
   * After a purge nothing of the id is left, so its next generation is provisioned as a new
   * customer (a full stack, new credentials); the ended life's events, arriving late, change
   * nothing of it.
   */
  @Test
  void aPurgedIdIsProvisionedAgainAsItsNextGenerationWhileLateEventsOfTheEndedLifeBuildNothing()
      throws Throwable {
    String id = customer();
    TenantNames names = new TenantNames(id);
    CustomerRequested first =
        new CustomerRequested(EventMeta.start(id, Clock.systemUTC()), "Twice Ltd", "small", null);
    bus.publish(first);
    ResourcesAllocated firstAllocation = awaitOne(ResourcesAllocated.class, id, 1);
    awaitOne(ContainersStarted.class, id, 1);
    bus.publish(new RoutesWithdrawn(firstAllocation.meta().next(Clock.systemUTC()), true));
    awaitOne(CustomerDeprovisioned.class, id, 1);
    assertNothingLeftFor(id);

    bus.publish(
        new CustomerRequested(
            EventMeta.start(id, 2, Clock.systemUTC()), "Twice Ltd", "small", null));
    ResourcesAllocated second = awaitOne(ResourcesAllocated.class, id, 2);
    ContainersStarted started = awaitOne(ContainersStarted.class, id, 2);
    assertThat(started.credentials()).isEqualTo(second.credentials());
    assertThat(TenantSecrets.open(id, second.credentials(), sealer).databaseOwnerPassword())
        .as("the second life's database password, new")
        .isNotEqualTo(
            TenantSecrets.open(id, firstAllocation.credentials(), sealer).databaseOwnerPassword());
    assertThat(runningContainers(id))
        .as("the second life's stack")
        .containsExactlyInAnyOrderElementsOf(names.containers());
    List<String> stack = TestStacks.labelledFor(docker, id);

    ResourcesAllocated lateAllocation =
        new ResourcesAllocated(
            firstAllocation.meta().next(Clock.systemUTC()),
            "Twice Ltd",
            "small",
            firstAllocation.ports(),
            firstAllocation.credentials());
    CustomerRequested lateRequest =
        new CustomerRequested(
            first.meta().again(first.meta().eventId(), Clock.systemUTC()),
            "Twice Ltd",
            "small",
            null);
    bus.publish(lateAllocation);
    bus.publish(lateRequest);
    awaitHandled("provisioner.start", lateAllocation);
    awaitHandled("provisioner.allocate", lateRequest);

    assertThat(eventsFor(ResourcesAllocated.class, id))
        .as("allocations: the first life's, the second's and the late one published here")
        .extracting(e -> e.meta().eventId())
        .containsExactlyInAnyOrder(
            firstAllocation.meta().eventId(),
            second.meta().eventId(),
            lateAllocation.meta().eventId());
    assertThat(eventsFor(ContainersStarted.class, id)).as("stacks started").hasSize(2);
    assertThat(store.find(id).orElseThrow().credentials())
        .as("the allocation stays the second life's")
        .isEqualTo(second.credentials());
    assertThat(TestStacks.labelledFor(docker, id))
        .as("the second life's containers, network and volumes, untouched")
        .containsExactlyInAnyOrderElementsOf(stack);
    assertThat(runningContainers(id)).containsExactlyInAnyOrderElementsOf(names.containers());
    assertThat(failuresOf(id)).as("steps failed for the customer").isEmpty();
  }

  private List<String> runningContainers(String id) {
    return docker
        .listContainersCmd()
        .withLabelFilter(Map.of(TenantNames.CUSTOMER_LABEL, id))
        .exec()
        .stream()
        .map(c -> c.getNames()[0].substring(1))
        .toList();
  }

  private String customer() {
    String id = TestStacks.customerId("pv-overtaken");
    customers.add(id);
    return id;
  }

  private void assertNothingLeftFor(String id) {
    assertThat(TestStacks.labelledFor(docker, id)).as("containers, networks, volumes").isEmpty();
    assertThat(CUSTOMERS.resolve(id).resolve(".env")).doesNotExist();
  }

  /** Waits until {@code consumer} has recorded {@code event} in its inbox: its step is over. */
  private void awaitHandled(String consumer, LifecycleEvent event) {
    await(consumer + " handling " + event.getClass().getSimpleName())
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> handled(consumer, event.meta().eventId()));
  }

  private boolean handled(String consumer, UUID eventId) throws Exception {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT 1 FROM provisioner.inbox WHERE consumer = ? AND event_id = ?")) {
      query.setString(1, consumer);
      query.setObject(2, eventId);
      try (ResultSet result = query.executeQuery()) {
        return result.next();
      }
    }
  }

  private <E extends LifecycleEvent> E awaitOne(Class<E> type, String id) {
    return awaitOne(type, id, EventMeta.FIRST_GENERATION);
  }

  /** The customer's first event of the type and generation; fails at once on a failed step. */
  private <E extends LifecycleEvent> E awaitOne(Class<E> type, String id, int generation) {
    Predicate<LifecycleEvent> match =
        e -> e.customerId().equals(id) && e.meta().generation() == generation;
    await(type.getSimpleName() + " of " + id + ", generation " + generation)
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              assertThat(failuresOf(id)).as("steps failed for " + id).isEmpty();
              return bus.events(type).stream().anyMatch(match);
            });
    return bus.events(type).stream().filter(match).findFirst().orElseThrow();
  }

  private List<StepFailed> failuresOf(String id) {
    return eventsFor(StepFailed.class, id);
  }

  private <E extends LifecycleEvent> List<E> eventsFor(Class<E> type, String id) {
    return bus.events(type).stream().filter(e -> e.customerId().equals(id)).toList();
  }
}
