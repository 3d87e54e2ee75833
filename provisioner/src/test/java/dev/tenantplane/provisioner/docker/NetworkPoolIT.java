package dev.tenantplane.provisioner.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import dev.tenantplane.common.events.SealedEnvelope;
import dev.tenantplane.common.naming.Plan;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.provisioner.TestStacks;
import dev.tenantplane.provisioner.allocation.Allocation;
import dev.tenantplane.provisioner.allocation.AllocationStore;
import dev.tenantplane.provisioner.allocation.PortAllocator;
import dev.tenantplane.provisioner.allocation.SubnetAllocator;
import dev.tenantplane.provisioner.lifecycle.StackLauncher;
import dev.tenantplane.provisioner.network.Subnet;
import dev.tenantplane.provisioner.stack.StackPlan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Customer networks come from the platform's pool, as recorded with each allocation: many more of
 * them than the engine's default pools would hold, none overlapping.
 */
@QuarkusTest
@TestProfile(NetworkPoolIT.ManyCustomers.class)
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres"))
class NetworkPoolIT {
  private static final Logger LOG = Logger.getLogger(NetworkPoolIT.class);
  // Three times what the engine's default pools hold (about 31 networks).
  private static final int CUSTOMERS = 100;
  // The engine creates and removes one network at a time (here about 0.2 s and 0.3 s each, most of
  // the test's time); a few callers keep it busy without crowding the two cores.
  private static final int THREADS = 8;
  private static final int ALLOCATING_THREADS = 3;
  private static final int ATTEMPTS = 5;

  /** Enough port offsets for the allocations; no port is bound, as no container runs. */
  public static class ManyCustomers implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "tenantplane.provisioner.ports.first-offset", "100",
          "tenantplane.provisioner.ports.last-offset", "899");
    }
  }

  @Inject PortAllocator allocator;
  @Inject SubnetAllocator subnets;
  @Inject AllocationStore store;
  @Inject StackLauncher launcher;
  @Inject DockerStack docker;
  @Inject StackOperations operations;
  @Inject DockerClient engine;

  private final List<String> customers = Collections.synchronizedList(new ArrayList<>());
  private final List<String> withContainers = new ArrayList<>();

  /**
   * By the test's own ids only. Its networks are found in one listing rather than per customer:
   * listing containers waits on every container the engine is busy starting, which costs minutes
   * when repeated per customer on a loaded machine.
   */
  @AfterEach
  void removeWhatTheTestMade() throws Throwable {
    TestStacks.removeEverythingLabelledFor(engine, withContainers);
    Set<String> ids = new HashSet<>(customers);
    List<String> networks =
        testNetworks().stream()
            .filter(n -> ids.contains(n.getLabels().get(TenantNames.CUSTOMER_LABEL)))
            .map(Network::getId)
            .toList();
    inParallel(
        networks,
        network -> {
          try {
            engine.removeNetworkCmd(network).exec();
          } catch (NotFoundException gone) {
            // Removed by the test.
          }
          return null;
        });
    // One at a time: the reactive session is not to be shared across threads.
    for (String id : ids) {
      VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> store.release(id)));
    }
  }

  @Test
  void aHundredCustomersGetNetworksFromThePoolThatNeverOverlap() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < CUSTOMERS; i++) {
      ids.add(TestStacks.customerId("pv-net"));
    }
    customers.addAll(ids);

    // Each customer as the allocate and start steps would take it: allocation committed, then the
    // network. Allocating overlaps with the engine's work on earlier customers; it runs on fewer
    // threads, since concurrent allocations queue behind each other's candidates anyway.
    long started = System.nanoTime();
    Map<String, Allocation> allocations = new ConcurrentHashMap<>();
    AtomicLong allocatedAt = new AtomicLong();
    ExecutorService allocating = Executors.newFixedThreadPool(ALLOCATING_THREADS);
    ExecutorService creating = Executors.newFixedThreadPool(THREADS);
    try {
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (String id : ids) {
        done.add(
            CompletableFuture.supplyAsync(unchecked(() -> allocateRetrying(id)), allocating)
                .thenAcceptAsync(
                    allocation -> {
                      allocations.put(id, allocation);
                      allocatedAt.accumulateAndGet(System.nanoTime(), Math::max);
                      unchecked(
                              () -> {
                                docker.ensureNetwork(plan(allocation), "start");
                                return null;
                              })
                          .get();
                    },
                    creating));
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    } finally {
      allocating.shutdownNow();
      creating.shutdownNow();
    }
    long createdAt = System.nanoTime();

    Map<String, Network> byCustomer = new HashMap<>();
    List<Subnet> everyOther = new ArrayList<>();
    for (Network network : engine.listNetworksCmd().exec()) {
      String customer =
          network.getLabels() == null ? null : network.getLabels().get(TenantNames.CUSTOMER_LABEL);
      if (customer != null && allocations.containsKey(customer)) {
        byCustomer.put(customer, network);
      } else {
        everyOther.addAll(subnetsOf(network));
      }
    }
    assertThat(byCustomer).hasSize(CUSTOMERS);
    List<Subnet> ours = new ArrayList<>();
    for (String id : ids) {
      Network network = byCustomer.get(id);
      assertThat(network.getName()).isEqualTo(new TenantNames(id).network());
      assertThat(network.getLabels()).containsEntry("tenantplane.test", "true");
      Subnet recorded = store.find(id).orElseThrow().subnetOrNull();
      assertThat(recorded).isNotNull().isEqualTo(allocations.get(id).subnetOrNull());
      assertThat(subnetsOf(network))
          .as("subnet of %s", network.getName())
          .containsExactly(recorded);
      assertThat(network.getIpam().getConfig().get(0).getGateway()).isEqualTo(recorded.gateway());
      assertThat(subnets.pool().range().contains(recorded)).isTrue();
      ours.add(recorded);
    }
    ours.sort(Comparator.naturalOrder());
    for (int i = 1; i < ours.size(); i++) {
      assertThat(ours.get(i).overlaps(ours.get(i - 1)))
          .as("%s and %s", ours.get(i - 1), ours.get(i))
          .isFalse();
    }
    for (Subnet other : everyOther) {
      assertThat(ours).as("networks overlapping %s", other).noneMatch(other::overlaps);
    }

    // Again, as a redelivered start would: every network is kept as it is.
    Network sample = byCustomer.get(ids.get(CUSTOMERS / 2));
    docker.ensureNetwork(plan(allocations.get(ids.get(CUSTOMERS / 2))), "start");
    assertThat(engine.inspectNetworkCmd().withNetworkId(sample.getName()).exec().getId())
        .isEqualTo(sample.getId());

    long checkedAt = System.nanoTime();
    inParallel(
        ids,
        id -> {
          operations.remove(new TenantNames(id), false);
          return null;
        });
    long removedAt = System.nanoTime();
    Set<String> ourNetworks = new HashSet<>();
    ids.forEach(id -> ourNetworks.add(new TenantNames(id).network()));
    assertThat(testNetworks()).extracting(Network::getName).noneMatch(ourNetworks::contains);
    LOG.infof(
        "networks=%d allocated_ms=%d allocate_and_create_ms=%d check_ms=%d remove_ms=%d"
            + " total_ms=%d",
        CUSTOMERS,
        millis(started, allocatedAt.get()),
        millis(started, createdAt),
        millis(createdAt, checkedAt),
        millis(checkedAt, removedAt),
        millis(started, removedAt));
  }

  /**
   * A customer allocated before subnets were recorded: its network came from the engine's default
   * pools. It gets a subnet at its next start; its network is not pulled from under a running
   * container, and is replaced once the stack is stopped.
   */
  @Test
  void aNetworkFromBeforeSubnetsIsReplacedOnlyWhenNothingRunsOnIt() throws Throwable {
    String id = TestStacks.customerId("pv-legacy");
    customers.add(id);
    withContainers.add(id);
    TenantNames names = new TenantNames(id);
    TestStacks.allocate(allocator, id, "Legacy Ltd", envelope());
    VertxContextSupport.subscribeAndAwait(
        () ->
            Panache.withTransaction(
                () ->
                    Panache.getSession()
                        .chain(
                            s ->
                                s.createNativeQuery(
                                        "UPDATE allocation SET subnet = NULL"
                                            + " WHERE customer_id = :id")
                                    .setParameter("id", id)
                                    .executeUpdate())));
    Map<String, String> labels = Map.of(TenantNames.CUSTOMER_LABEL, id, "tenantplane.test", "true");
    // As the provisioner made networks before subnets were recorded.
    String old =
        engine
            .createNetworkCmd()
            .withName(names.network())
            .withDriver("bridge")
            .withLabels(labels)
            .exec()
            .getId();
    engine
        .createContainerCmd("tenantplane/redis:7")
        .withName(names.redisContainer())
        .withLabels(labels)
        .withEntrypoint("sleep")
        .withCmd("600")
        .withHostConfig(HostConfig.newHostConfig().withNetworkMode(names.network()))
        .exec();
    engine.startContainerCmd(names.redisContainer()).exec();

    Allocation legacy = store.find(id).orElseThrow();
    assertThat(legacy.subnetOrNull()).isNull();
    Subnet subnet = subnets.subnetOf(legacy, "start");
    assertThat(store.find(id).orElseThrow().subnetOrNull()).isEqualTo(subnet);
    assertThat(subnets.subnetOf(store.find(id).orElseThrow(), "start")).isEqualTo(subnet);
    StackPlan plan = plan(store.find(id).orElseThrow());

    assertThatThrownBy(() -> docker.ensureNetwork(plan, "start"))
        .isInstanceOfSatisfying(
            StepException.class,
            e -> {
              assertThat(e.retryable()).isFalse();
              assertThat(e.getMessage())
                  .contains("customer " + id)
                  .contains(names.redisContainer() + " (running)")
                  .contains("records " + subnet)
                  .contains("suspend and resume");
              assertThat(e.detail()).contains("step=start").contains("recorded_subnet=" + subnet);
            });
    assertThat(engine.inspectNetworkCmd().withNetworkId(names.network()).exec().getId())
        .isEqualTo(old);
    assertThat(engine.inspectContainerCmd(names.redisContainer()).exec().getState().getRunning())
        .isTrue();

    engine.killContainerCmd(names.redisContainer()).exec();
    docker.ensureNetwork(plan, "resume");

    Network replaced = engine.inspectNetworkCmd().withNetworkId(names.network()).exec();
    assertThat(replaced.getId()).isNotEqualTo(old);
    assertThat(subnetsOf(replaced)).containsExactly(subnet);
    assertThat(replaced.getLabels()).containsEntry("tenantplane.test", "true");
    assertThatThrownBy(() -> engine.inspectContainerCmd(names.redisContainer()).exec())
        .as("the stopped container pointed at the removed network")
        .isInstanceOf(NotFoundException.class);
  }

  private Allocation allocateRetrying(String id) throws Exception {
    for (int attempt = 1; ; attempt++) {
      Throwable failure;
      try {
        return TestStacks.allocate(allocator, id, "Network Co", envelope());
      } catch (Throwable e) {
        failure = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      }
      // As the step runner does: a loser of every candidate looks again.
      if (!(failure instanceof StepException step) || !step.retryable() || attempt == ATTEMPTS) {
        throw failure instanceof Exception e ? e : new IllegalStateException(failure);
      }
    }
  }

  private List<Network> testNetworks() {
    return engine.listNetworksCmd().withFilter("label", List.of("tenantplane.test=true")).exec();
  }

  private StackPlan plan(Allocation allocation) {
    return launcher.plan(
        new TenantNames(allocation.customerId),
        allocation.name,
        Plan.SMALL,
        allocation.ports(),
        allocation.subnetOrNull());
  }

  private static List<Subnet> subnetsOf(Network network) {
    List<Subnet> found = new ArrayList<>();
    if (network.getIpam() != null && network.getIpam().getConfig() != null) {
      for (Network.Ipam.Config config : network.getIpam().getConfig()) {
        Subnet subnet = Subnet.parseOrNull(config.getSubnet());
        if (subnet != null) {
          found.add(subnet);
        }
      }
    }
    return found;
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(String item) throws Throwable;
  }

  private static <T> List<T> inParallel(List<String> items, Work<T> work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (String item : items) {
        Callable<T> task =
            () -> {
              try {
                return work.run(item);
              } catch (Exception e) {
                throw e;
              } catch (Throwable e) {
                throw new IllegalStateException(e);
              }
            };
        futures.add(pool.submit(task));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(5, TimeUnit.MINUTES));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  @FunctionalInterface
  private interface Action<T> {
    T run() throws Throwable;
  }

  private static <T> Supplier<T> unchecked(Action<T> action) {
    return () -> {
      try {
        return action.run();
      } catch (RuntimeException e) {
        throw e;
      } catch (Throwable e) {
        throw new CompletionException(e);
      }
    };
  }

  private static long millis(long from, long to) {
    return (to - from) / 1_000_000;
  }

  private static SealedEnvelope envelope() {
    return new SealedEnvelope("test-key", "bm9uY2U=", UUID.randomUUID().toString());
  }
}
