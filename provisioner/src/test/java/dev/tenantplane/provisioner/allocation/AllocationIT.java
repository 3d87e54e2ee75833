package dev.tenantplane.provisioner.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantplane.common.events.CustomerRequested;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.events.SealedEnvelope;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.common.naming.Plan;
import dev.tenantplane.common.naming.PortPlan;
import dev.tenantplane.common.testing.BusProbe;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.TestInfrastructure;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.provisioner.TestStacks;
import dev.tenantplane.provisioner.network.Subnet;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres"))
class AllocationIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int CONCURRENT_REQUESTS = 10;

  @Inject PortAllocator allocator;
  @Inject AllocationStore store;

  private final List<String> allocated = new ArrayList<>();

  @AfterEach
  void releaseWhatTheTestAllocated() throws Throwable {
    for (String id : allocated) {
      VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> store.release(id)));
    }
  }

  /**
   * Every request chooses its candidates before any of them reserves, so all ten start from the
   * same snapshot and the same first offset: only the table's constraints keep them apart.
   */
  @Test
  void tenConcurrentRequestsFromOneSnapshotGetTenDistinctPortTriples() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT_REQUESTS);
    CyclicBarrier chosen = new CyclicBarrier(CONCURRENT_REQUESTS);
    List<Future<Attempt>> results = new ArrayList<>();
    try {
      for (int i = 0; i < CONCURRENT_REQUESTS; i++) {
        String id = TestStacks.customerId("pv-race");
        allocated.add(id);
        Callable<Attempt> allocate =
            () -> {
              PortAllocator.Candidates candidates = allocator.candidates(id, null);
              chosen.await(30, TimeUnit.SECONDS);
              return new Attempt(
                  candidates.ports().get(0),
                  candidates.subnets().get(0),
                  reserve(id, "Race Inc", null, candidates, envelope()));
            };
        results.add(pool.submit(allocate));
      }
      List<Attempt> attempts = new ArrayList<>();
      for (Future<Attempt> result : results) {
        attempts.add(result.get(120, TimeUnit.SECONDS));
      }

      assertThat(attempts.stream().map(Attempt::firstCandidate).distinct()).hasSize(1);
      assertThat(attempts.stream().map(Attempt::firstSubnet).distinct()).hasSize(1);
      assertThat(attempts.stream().map(a -> a.allocation().ports()).toList())
          .hasSize(CONCURRENT_REQUESTS)
          .doesNotHaveDuplicates();
      assertThat(attempts.stream().map(a -> a.allocation().portOffset).toList())
          .doesNotHaveDuplicates()
          .allSatisfy(o -> assertThat(o).isBetween(900, 999));
      List<Subnet> subnets = attempts.stream().map(a -> a.allocation().subnetOrNull()).toList();
      assertThat(subnets).doesNotContainNull().doesNotHaveDuplicates();
      for (Subnet a : subnets) {
        assertThat(subnets).filteredOn(b -> b != a && b.overlaps(a)).isEmpty();
      }
      for (Attempt attempt : attempts) {
        assertThat(store.find(attempt.allocation().customerId).map(Allocation::ports))
            .contains(attempt.allocation().ports());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aSecondRequestForTheSameCustomerGetsTheSameAllocation() throws Throwable {
    String id = TestStacks.customerId("pv-again");
    allocated.add(id);

    Allocation first = allocate(id, "Again Ltd", null, envelope());
    Allocation second = reserve(id, "Again Ltd", null, allocator.candidates(id, null), envelope());

    assertThat(second.ports()).isEqualTo(first.ports());
    assertThat(second.subnet).isNotNull().isEqualTo(first.subnet);
    assertThat(second.credentials()).isEqualTo(first.credentials());
    assertThat(store.takenOffsets()).contains(first.portOffset);
  }

  @Test
  void aRequestedPortHeldByAnotherCustomerIsRefusedForGood() throws Throwable {
    String holder = TestStacks.customerId("pv-holder");
    allocated.add(holder);
    Allocation held = allocate(holder, "Holder", null, envelope());

    String late = TestStacks.customerId("pv-late");
    allocated.add(late);
    assertRefusedForGood(late, () -> allocator.candidates(late, held.appPort));
  }

  @Test
  void aRequestedPortTakenBetweenChoiceAndCommitIsRefusedByTheTable() throws Throwable {
    String late = TestStacks.customerId("pv-slow");
    allocated.add(late);
    int appPort = TestStacks.freeRequestedPort(900, 949);
    PortAllocator.Candidates chosen = allocator.candidates(late, appPort);

    String holder = TestStacks.customerId("pv-fast");
    allocated.add(holder);
    allocate(holder, "Fast", appPort, envelope());

    assertRefusedForGood(late, () -> reserve(late, "Slow", appPort, chosen, envelope()));
  }

  /**
   * The requested port's insert is refused because of the subnet another customer took between
   * choice and commit: the port is still the customer's, with the next subnet.
   */
  @Test
  void aSubnetTakenBetweenChoiceAndCommitDoesNotCostTheRequestedPort() throws Throwable {
    String late = TestStacks.customerId("pv-subnet");
    allocated.add(late);
    int appPort = TestStacks.freeRequestedPort(900, 949);
    PortAllocator.Candidates chosen = allocator.candidates(late, appPort);

    String holder = TestStacks.customerId("pv-subnet-first");
    allocated.add(holder);
    Allocation first = allocate(holder, "First", null, envelope());
    assertThat(first.subnetOrNull()).isEqualTo(chosen.subnets().get(0));

    Allocation won = reserve(late, "Late", appPort, chosen, envelope());
    assertThat(won.appPort).isEqualTo(appPort);
    assertThat(won.subnetOrNull()).isEqualTo(chosen.subnets().get(1));
  }

  @Test
  void aRequestedPortInUseOnTheHostFailsTheStepWithoutRetry() throws Exception {
    String id = TestStacks.customerId("pv-busy");
    try (ServerSocket squatter = bindFreeTestAppPort();
        BusProbe bus =
            new BusProbe(
                TestInfrastructure.kafka().bootstrapServers(),
                List.of(EventType.STEP_FAILED.topic(), EventType.RESOURCES_ALLOCATED.topic()))) {
      bus.publish(
          new CustomerRequested(
              EventMeta.start(id, Clock.systemUTC()), "Busy Co", "small", squatter.getLocalPort()));

      StepFailed failed =
          bus
              .await(
                  StepFailed.class,
                  events -> events.stream().anyMatch(e -> e.customerId().equals(id)),
                  WAIT)
              .stream()
              .filter(e -> e.customerId().equals(id))
              .findFirst()
              .orElseThrow();
      assertThat(failed.step()).isEqualTo(Step.ALLOCATE_RESOURCES);
      assertThat(failed.retryable()).isFalse();
      assertThat(failed.attempt()).isEqualTo(1);
      assertThat(failed.reason())
          .contains(id)
          .contains("port " + squatter.getLocalPort() + " is in use on the host");
      assertThat(store.find(id)).isEmpty();
    }
  }

  private record Attempt(
      PortAssignment firstCandidate, Subnet firstSubnet, Allocation allocation) {}

  private Allocation allocate(String id, String name, Integer requestedPort, SealedEnvelope sealed)
      throws Exception {
    return reserve(id, name, requestedPort, allocator.candidates(id, requestedPort), sealed);
  }

  /** Reserves in a transaction of its own, as the allocate step's commit does. */
  private Allocation reserve(
      String id,
      String name,
      Integer requestedPort,
      PortAllocator.Candidates candidates,
      SealedEnvelope sealed)
      throws Exception {
    try {
      return VertxContextSupport.subscribeAndAwait(
          () ->
              Panache.withTransaction(
                  () ->
                      allocator.reserve(id, name, Plan.SMALL, requestedPort, candidates, sealed)));
    } catch (CompletionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } catch (Exception e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  private static ServerSocket bindFreeTestAppPort() throws Exception {
    for (int offset = 999; offset >= 900; offset--) {
      int port = PortPlan.forOffset(offset).app();
      if (!HostPorts.inUse(port)) {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return socket;
      }
    }
    throw new IllegalStateException("every test app port is in use");
  }

  private static SealedEnvelope envelope() {
    return new SealedEnvelope("test-key", "bm9uY2U=", UUID.randomUUID().toString());
  }

  /** The attempt fails for good because another customer holds the port, and writes nothing. */
  private void assertRefusedForGood(String customerId, ThrowingCallable attempt) {
    assertThatThrownBy(attempt)
        .isInstanceOfSatisfying(
            StepException.class,
            e -> {
              assertThat(e.retryable()).isFalse();
              assertThat(e.getMessage()).contains(customerId).contains("another customer holds it");
            });
    assertThat(store.find(customerId)).isEmpty();
  }
}
