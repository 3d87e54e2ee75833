package dev.tenantplane.provisioner.lifecycle;

import dev.tenantplane.common.crypto.EnvelopeSealer;
import dev.tenantplane.common.crypto.SealedEnvelopeException;
import dev.tenantplane.common.crypto.TenantSecrets;
import dev.tenantplane.common.events.CustomerResumeRequested;
import dev.tenantplane.common.events.CustomerResumed;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.kit.Commit;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.kit.StepRunner;
import dev.tenantplane.provisioner.allocation.Allocation;
import dev.tenantplane.provisioner.allocation.AllocationStore;
import dev.tenantplane.provisioner.allocation.SubnetAllocator;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * CustomerResumeRequested → CustomerResumed: brings the stack back to its plan from the stored
 * allocation (starting stopped containers, recreating missing ones), waits for PostgreSQL and
 * Redis, and clears the allocation's suspended mark in the same transaction as the event.
 */
@ApplicationScoped
public class ResumeStep {
  static final String CONSUMER = "provisioner.resume";

  private final StepRunner runner;
  private final AllocationStore store;
  private final SubnetAllocator subnets;
  private final StackLauncher launcher;
  private final EnvelopeSealer sealer;
  private final Clock clock;

  public ResumeStep(
      StepRunner runner,
      AllocationStore store,
      SubnetAllocator subnets,
      StackLauncher launcher,
      EnvelopeSealer sealer,
      Clock clock) {
    this.clock = clock;
    this.runner = runner;
    this.store = store;
    this.subnets = subnets;
    this.launcher = launcher;
    this.sealer = sealer;
  }

  @Incoming("customer-resume-requested")
  public CompletionStage<Void> on(Message<byte[]> record) {
    return runner.submit(
        record, CONSUMER, Step.RESUME, CustomerResumeRequested.class, this::reconcile);
  }

  Commit reconcile(CustomerResumeRequested request) throws StepException {
    String id = request.customerId();
    Allocation allocation =
        store
            .find(id)
            .orElseThrow(
                () ->
                    new StepException(
                        "customer " + id + ": nothing allocated, nothing to resume",
                        false,
                        "step=resume customer=" + id));
    TenantSecrets secrets;
    try {
      secrets = TenantSecrets.open(id, allocation.credentials(), sealer);
    } catch (SealedEnvelopeException e) {
      throw new StepException(
          "customer " + id + ": stored credentials cannot be opened", false, e.getMessage());
    }
    TenantNames names = new TenantNames(id);
    boolean built =
        launcher.launch(
            launcher.plan(
                names,
                allocation.name,
                allocation.planOrDefault(),
                allocation.ports(),
                subnets.subnetOf(allocation, "resume")),
            secrets,
            request.meta(),
            "resume");
    if (!built) {
      throw new StepException(
          "customer " + id + ": its deprovisioning has begun, nothing to resume",
          false,
          "step=resume customer=" + id);
    }
    CustomerResumed resumed = new CustomerResumed(request.meta().next(clock));
    return () -> store.markResumed(id).replaceWith(List.<LifecycleEvent>of(resumed));
  }
}
