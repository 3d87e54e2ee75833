package dev.tenantplane.provisioner.lifecycle;

import dev.tenantplane.common.events.ContainerRestarted;
import dev.tenantplane.common.events.RestartRequested;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.kit.Commit;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.kit.StepRunner;
import dev.tenantplane.provisioner.allocation.Allocation;
import dev.tenantplane.provisioner.allocation.AllocationStore;
import dev.tenantplane.provisioner.driver.StackDriver;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * RestartRequested → ContainerRestarted: restarts the named container, provided it is one of the
 * customer's four and carries the customer's label. A customer with no allocation (deprovisioned)
 * or a suspended stack is refused without touching the engine: a restart would bring back a
 * container that is meant to be gone or stopped.
 */
@ApplicationScoped
public class RestartStep {
  static final String CONSUMER = "provisioner.restart";

  private final StepRunner runner;
  private final AllocationStore store;
  private final StackDriver driver;
  private final Clock clock;

  public RestartStep(StepRunner runner, AllocationStore store, StackDriver driver, Clock clock) {
    this.clock = clock;
    this.runner = runner;
    this.store = store;
    this.driver = driver;
  }

  @Incoming("restart-requested")
  public CompletionStage<Void> on(Message<byte[]> record) {
    return runner.submit(record, CONSUMER, Step.RESTART, RestartRequested.class, this::reconcile);
  }

  Commit reconcile(RestartRequested request) throws StepException {
    String id = request.customerId();
    String detail = "step=restart customer=" + id + " container=" + request.container();
    Allocation allocation =
        store
            .find(id)
            .orElseThrow(
                () ->
                    new StepException(
                        "customer " + id + ": nothing allocated, restart refused",
                        false,
                        detail + " allocation=missing"));
    if (allocation.suspended()) {
      throw new StepException(
          "customer " + id + ": stack is suspended, restart of " + request.container() + " refused",
          false,
          detail + " suspended_at=" + allocation.suspendedAt);
    }
    driver.restart(new TenantNames(id), request.container());
    return Commit.emit(new ContainerRestarted(request.meta().next(clock), request.container()));
  }
}
