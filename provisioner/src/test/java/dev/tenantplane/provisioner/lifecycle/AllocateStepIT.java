package dev.tenantplane.provisioner.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.events.CustomerRequested;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.ResourcesAllocated;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.kit.Commit;
import dev.tenantplane.provisioner.TestStacks;
import dev.tenantplane.provisioner.allocation.Allocation;
import dev.tenantplane.provisioner.allocation.AllocationStore;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The allocate step's reservation belongs to its commit, which the step runner runs in the one
 * transaction that also writes the inbox row and the ResourcesAllocated outbox row.
 */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres"))
class AllocateStepIT {
  @Inject AllocateStep step;
  @Inject AllocationStore store;

  private final List<String> allocated = new ArrayList<>();

  @AfterEach
  void releaseWhatTheTestAllocated() throws Throwable {
    for (String id : allocated) {
      VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> store.release(id)));
    }
  }

  @Test
  void theAllocationRowIsWrittenByTheCommitTogetherWithTheEvent() throws Throwable {
    String id = customer();
    Commit commit = step.reconcile(request(id));

    assertThat(store.find(id)).as("nothing reserved before the commit").isEmpty();

    List<LifecycleEvent> events =
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(commit::apply));
    Allocation row = store.find(id).orElseThrow();
    assertThat(events)
        .singleElement()
        .isInstanceOfSatisfying(
            ResourcesAllocated.class,
            e -> {
              assertThat(e.ports()).isEqualTo(row.ports());
              assertThat(e.credentials()).isEqualTo(row.credentials());
            });
  }

  @Test
  void aRolledBackStepTransactionLeavesNoAllocation() throws Throwable {
    String id = customer();
    Commit commit = step.reconcile(request(id));

    VertxContextSupport.subscribeAndAwait(
        () ->
            Panache.withTransaction(
                () ->
                    commit
                        .apply()
                        .call(
                            () ->
                                Panache.currentTransaction().invoke(tx -> tx.markForRollback()))));

    assertThat(store.find(id)).isEmpty();
  }

  private String customer() {
    String id = TestStacks.customerId("pv-commit");
    allocated.add(id);
    return id;
  }

  private static CustomerRequested request(String id) {
    return new CustomerRequested(
        EventMeta.start(id, Clock.systemUTC()), "Commit Co", "small", null);
  }
}
