package dev.tenantplane.provisioner.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.tenantplane.common.crypto.EnvelopeSealer;
import dev.tenantplane.common.crypto.TenantSecrets;
import dev.tenantplane.common.events.ContainerRestarted;
import dev.tenantplane.common.events.ContainersStarted;
import dev.tenantplane.common.events.CustomerSuspendRequested;
import dev.tenantplane.common.events.CustomerSuspended;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.ResourcesAllocated;
import dev.tenantplane.common.events.RestartRequested;
import dev.tenantplane.common.events.SealedEnvelope;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.common.testing.BusProbe;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.TestInfrastructure;
import dev.tenantplane.provisioner.ProvisionerSettings;
import dev.tenantplane.provisioner.TestStacks;
import dev.tenantplane.provisioner.allocation.Allocation;
import dev.tenantplane.provisioner.allocation.AllocationStore;
import dev.tenantplane.provisioner.allocation.PortAllocator;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Requests the provisioner must refuse without touching the engine: a restart for a customer that
 * has no allocation or is suspended, and a start for an allocation that is no longer the
 * customer's. Each is a non-retryable StepFailed naming the customer and the step.
 */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres"))
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefusedRequestsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String NEVER_STARTED = "0001-01-01T00:00:00Z";
  private static final Path CUSTOMERS = Path.of("target/customers");

  @Inject DockerClient docker;
  @Inject AllocationStore store;
  @Inject PortAllocator allocator;
  @Inject EnvelopeSealer sealer;
  @Inject ProvisionerSettings settings;

  private final SecureRandom random = new SecureRandom();
  private final List<String> customers = new ArrayList<>();
  private BusProbe bus;

  @BeforeAll
  void openProbe() {
    bus =
        new BusProbe(
            TestInfrastructure.kafka().bootstrapServers(),
            List.of(
                EventType.STEP_FAILED.topic(),
                EventType.CUSTOMER_SUSPENDED.topic(),
                EventType.CONTAINER_RESTARTED.topic(),
                EventType.CONTAINERS_STARTED.topic()));
  }

  @AfterEach
  void removeWhatTheTestCreated() throws Throwable {
    TestStacks.removeEverythingLabelledFor(docker, customers);
    for (String id : customers) {
      VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> store.release(id)));
    }
    customers.clear();
  }

  @AfterAll
  void closeProbe() {
    bus.close();
  }

  @Test
  void restartForACustomerWithNothingAllocatedIsRefusedAndStartsNoContainer() {
    String id = customer();
    TenantNames names = new TenantNames(id);
    createStoppedContainer(names, names.redisContainer());

    bus.publish(restart(names));

    StepFailed refused = awaitFailure(id);
    assertThat(refused.step()).isEqualTo(Step.RESTART);
    assertThat(refused.retryable()).isFalse();
    assertThat(refused.attempt()).isEqualTo(1);
    assertThat(refused.reason()).contains(id).contains("nothing allocated");
    assertThat(refused.detail()).contains("step=restart").contains("customer=" + id);
    assertNeverStarted(names.redisContainer());
    assertThat(eventsFor(ContainerRestarted.class, id)).isEmpty();
  }

  @Test
  void restartForASuspendedCustomerIsRefusedAndStartsNoContainer() throws Throwable {
    String id = customer();
    TenantNames names = new TenantNames(id);
    TestStacks.allocate(
        allocator, id, "Refused Ltd", TenantSecrets.generate(random).seal(id, sealer));
    createStoppedContainer(names, names.redisContainer());
    bus.publish(new CustomerSuspendRequested(EventMeta.start(id, Clock.systemUTC())));
    bus.await(CustomerSuspended.class, events -> containsCustomer(events, id), WAIT);
    assertThat(store.find(id).map(Allocation::suspended)).contains(true);

    bus.publish(restart(names));

    StepFailed refused = awaitFailure(id);
    assertThat(refused.step()).isEqualTo(Step.RESTART);
    assertThat(refused.retryable()).isFalse();
    assertThat(refused.reason())
        .contains(id)
        .contains("suspended")
        .contains(names.redisContainer());
    assertThat(refused.detail()).contains("step=restart").contains("customer=" + id);
    assertNeverStarted(names.redisContainer());
    assertThat(eventsFor(ContainerRestarted.class, id)).isEmpty();
  }

  @Test
  void lateAllocationEventAfterDeprovisionCreatesNothing() throws Throwable {
    String id = customer();
    SealedEnvelope sealed = TenantSecrets.generate(random).seal(id, sealer);
    Allocation released = TestStacks.allocate(allocator, id, "Refused Ltd", sealed);
    VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> store.release(id)));

    bus.publish(
        new ResourcesAllocated(
            EventMeta.start(id, Clock.systemUTC()), "Late Ltd", "small", released.ports(), sealed));

    StepFailed refused = awaitFailure(id);
    assertThat(refused.step()).isEqualTo(Step.START_CONTAINERS);
    assertThat(refused.retryable()).isFalse();
    assertThat(refused.reason()).contains(id).contains("no allocation");
    assertThat(refused.detail()).contains("step=start").contains("customer=" + id);
    assertNothingCreatedFor(id);
  }

  @Test
  void allocationEventFromAnEarlierAllocationCreatesNothing() throws Throwable {
    String id = customer();
    Allocation current =
        TestStacks.allocate(
            allocator, id, "Refused Ltd", TenantSecrets.generate(random).seal(id, sealer));
    SealedEnvelope earlier = TenantSecrets.generate(random).seal(id, sealer);

    bus.publish(
        new ResourcesAllocated(
            EventMeta.start(id, Clock.systemUTC()), "Late Ltd", "small", current.ports(), earlier));

    StepFailed refused = awaitFailure(id);
    assertThat(refused.step()).isEqualTo(Step.START_CONTAINERS);
    assertThat(refused.retryable()).isFalse();
    assertThat(refused.reason()).contains(id).contains("not the customer's current one");
    assertNothingCreatedFor(id);
  }

  private String customer() {
    String id = TestStacks.customerId("pv-refused");
    customers.add(id);
    return id;
  }

  /** A container of the customer's, created but never started, to show nothing starts it. */
  private void createStoppedContainer(TenantNames names, String container) {
    docker
        .createContainerCmd(settings.images().redis())
        .withName(container)
        .withLabels(
            Map.of(TenantNames.CUSTOMER_LABEL, names.customerId(), "tenantplane.test", "true"))
        .exec();
  }

  private static RestartRequested restart(TenantNames names) {
    return new RestartRequested(
        EventMeta.start(names.customerId(), Clock.systemUTC()),
        names.redisContainer(),
        "redis",
        "unhealthy",
        1);
  }

  private StepFailed awaitFailure(String id) {
    return bus.await(StepFailed.class, events -> containsCustomer(events, id), WAIT).stream()
        .filter(e -> e.customerId().equals(id))
        .findFirst()
        .orElseThrow();
  }

  private void assertNeverStarted(String container) {
    InspectContainerResponse.ContainerState state =
        docker.inspectContainerCmd(container).exec().getState();
    assertThat(state.getRunning()).as(container + " running").isFalse();
    assertThat(state.getStartedAt()).as(container + " started at").isEqualTo(NEVER_STARTED);
  }

  private void assertNothingCreatedFor(String id) {
    assertThat(TestStacks.labelledFor(docker, id)).isEmpty();
    assertThat(CUSTOMERS.resolve(id)).doesNotExist();
    assertThat(eventsFor(ContainersStarted.class, id)).isEmpty();
  }

  private <E extends LifecycleEvent> List<E> eventsFor(Class<E> type, String id) {
    return bus.events(type).stream().filter(e -> e.customerId().equals(id)).toList();
  }

  private static boolean containsCustomer(List<? extends LifecycleEvent> events, String id) {
    return events.stream().anyMatch(e -> e.customerId().equals(id));
  }
}
