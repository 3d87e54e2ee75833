package dev.tenantplane.provisioner.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantplane.common.events.CustomerRequested;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.EventType;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres"))
class AllocationIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Inject PortAllocator allocator;
  @Inject AllocationStore store;

  private final List<String> allocated = new ArrayList<>();

  @AfterEach
  void releaseWhatTheTestAllocated() throws Throwable {
    for (String id : allocated) {
      VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> store.release(id)));
    }
  }

  @Test
  void concurrentRequestsNeverShareAPort() throws Exception {
    int requests = 6;
    ExecutorService pool = Executors.newFixedThreadPool(requests);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Allocation>> results = new ArrayList<>();
    try {
      for (int i = 0; i < requests; i++) {
        String id = TestStacks.customerId("race");
        allocated.add(id);
        Callable<Allocation> allocate =
            () -> {
              start.await();
              return allocator.allocate(id, "Race Inc", Plan.SMALL, null, envelope());
            };
        results.add(pool.submit(allocate));
      }
      start.countDown();
      List<Integer> offsets = new ArrayList<>();
      for (Future<Allocation> result : results) {
        offsets.add(result.get().portOffset);
      }
      assertThat(offsets)
          .doesNotHaveDuplicates()
          .allSatisfy(o -> assertThat(o).isBetween(900, 999));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aSecondRequestForTheSameCustomerGetsTheSameAllocation() throws Exception {
    String id = TestStacks.customerId("again");
    allocated.add(id);

    Allocation first = allocator.allocate(id, "Again Ltd", Plan.SMALL, null, envelope());
    Allocation second = allocator.allocate(id, "Again Ltd", Plan.SMALL, null, envelope());

    assertThat(second.ports()).isEqualTo(first.ports());
    assertThat(second.credentials()).isEqualTo(first.credentials());
    assertThat(store.takenOffsets()).contains(first.portOffset);
  }

  @Test
  void aRequestedPortHeldByAnotherCustomerIsRefusedForGood() throws Exception {
    String holder = TestStacks.customerId("holder");
    allocated.add(holder);
    Allocation held = allocator.allocate(holder, "Holder", Plan.SMALL, null, envelope());

    String late = TestStacks.customerId("late");
    allocated.add(late);
    assertThatThrownBy(() -> allocator.allocate(late, "Late", Plan.SMALL, held.appPort, envelope()))
        .isInstanceOfSatisfying(
            StepException.class,
            e -> {
              assertThat(e.retryable()).isFalse();
              assertThat(e.getMessage()).contains(late).contains("another customer holds it");
            });
    assertThat(store.find(late)).isEmpty();
  }

  @Test
  void aRequestedPortInUseOnTheHostFailsTheStepWithoutRetry() throws Exception {
    String id = TestStacks.customerId("busy");
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
}
