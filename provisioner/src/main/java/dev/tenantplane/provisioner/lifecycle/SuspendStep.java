package dev.tenantplane.provisioner.lifecycle;

import dev.tenantplane.common.events.CustomerSuspendRequested;
import dev.tenantplane.common.events.CustomerSuspended;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.kit.Commit;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.kit.StepRunner;
import dev.tenantplane.provisioner.allocation.AllocationStore;
import dev.tenantplane.provisioner.driver.StackDriver;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * CustomerSuspendRequested → CustomerSuspended: stops the four containers, keeping all data, and
 * marks the allocation suspended in the same transaction as the event, so restarts are refused
 * until a resume.
 */
@ApplicationScoped
public class SuspendStep {
  static final String CONSUMER = "provisioner.suspend";

  private final StepRunner runner;
  private final AllocationStore store;
  private final StackDriver driver;
  private final Clock clock;

  public SuspendStep(StepRunner runner, AllocationStore store, StackDriver driver, Clock clock) {
    this.clock = clock;
    this.runner = runner;
    this.store = store;
    this.driver = driver;
  }

  @Incoming("customer-suspend-requested")
  public CompletionStage<Void> on(Message<byte[]> record) {
    return runner.submit(
        record, CONSUMER, Step.SUSPEND, CustomerSuspendRequested.class, this::reconcile);
  }

  Commit reconcile(CustomerSuspendRequested request) throws StepException {
    String id = request.customerId();
    driver.stop(new TenantNames(id));
    CustomerSuspended suspended = new CustomerSuspended(request.meta().next(clock));
    return () ->
        store
            .markSuspended(id, suspended.meta().time())
            .replaceWith(List.<LifecycleEvent>of(suspended));
  }
}
