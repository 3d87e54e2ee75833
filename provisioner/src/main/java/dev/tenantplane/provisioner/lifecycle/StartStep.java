package dev.tenantplane.provisioner.lifecycle;

import dev.tenantplane.common.crypto.EnvelopeSealer;
import dev.tenantplane.common.crypto.SealedEnvelopeException;
import dev.tenantplane.common.crypto.TenantSecrets;
import dev.tenantplane.common.events.ContainersStarted;
import dev.tenantplane.common.events.ResourcesAllocated;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.naming.Plan;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.kit.Commit;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.kit.StepRunner;
import dev.tenantplane.provisioner.allocation.Allocation;
import dev.tenantplane.provisioner.allocation.AllocationStore;
import dev.tenantplane.provisioner.allocation.SubnetAllocator;
import dev.tenantplane.provisioner.allocation.Withdrawals;
import dev.tenantplane.provisioner.stack.StackPlan;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * ResourcesAllocated → ContainersStarted: writes the customer's folder, makes the network, volumes
 * and four containers match the plan, and waits for PostgreSQL and Redis. App and worker may still
 * be starting when the event goes out. Only the customer's current allocation is started: a late or
 * redelivered ResourcesAllocated after a deprovision (the allocation is gone) or from an earlier
 * allocation (other ports or credentials) is refused without touching the engine. For a life of the
 * customer whose deprovisioning began (a withdrawal of the event's generation or a later one
 * recorded), the step does nothing and emits nothing, also when the withdrawal lands while the step
 * waits for readiness: the removal takes the stack down, and the customer is not failed for it.
 */
@ApplicationScoped
public class StartStep {
  static final String CONSUMER = "provisioner.start";
  private static final Logger LOG = Logger.getLogger(StartStep.class);

  private final StepRunner runner;
  private final AllocationStore store;
  private final SubnetAllocator subnets;
  private final StackLauncher launcher;
  private final EnvelopeSealer sealer;
  private final Withdrawals withdrawals;
  private final Clock clock;

  public StartStep(
      StepRunner runner,
      AllocationStore store,
      SubnetAllocator subnets,
      StackLauncher launcher,
      EnvelopeSealer sealer,
      Withdrawals withdrawals,
      Clock clock) {
    this.clock = clock;
    this.runner = runner;
    this.store = store;
    this.subnets = subnets;
    this.launcher = launcher;
    this.sealer = sealer;
    this.withdrawals = withdrawals;
  }

  @Incoming("resources-allocated")
  public CompletionStage<Void> on(Message<byte[]> record) {
    return runner.submit(
        record, CONSUMER, Step.START_CONTAINERS, ResourcesAllocated.class, this::reconcile);
  }

  Commit reconcile(ResourcesAllocated allocated) throws StepException {
    String id = allocated.customerId();
    if (withdrawals.recorded(allocated.meta())) {
      return skipped(allocated);
    }
    Allocation current = requireCurrentAllocation(id, allocated);
    TenantNames names = new TenantNames(id);
    Plan plan = Plan.ofWireName(allocated.plan()).orElse(Plan.DEFAULT);
    try {
      StackPlan stack =
          launcher.plan(
              names, allocated.name(), plan, allocated.ports(), subnets.subnetOf(current, "start"));
      if (!launcher.launch(stack, open(id, allocated), allocated.meta(), "start")) {
        return skipped(allocated);
      }
    } catch (StepException e) {
      if (withdrawals.recorded(allocated.meta())) {
        return skipped(allocated);
      }
      throw e;
    }
    return Commit.emit(
        new ContainersStarted(
            allocated.meta().next(clock),
            plan.wireName(),
            allocated.ports(),
            names.network(),
            names.containers(),
            allocated.credentials()));
  }

  private static Commit skipped(ResourcesAllocated allocated) {
    LOG.infof(
        "customer=%s step=start outcome=skipped reason=withdrawn event=%s",
        allocated.customerId(), allocated.meta().eventId());
    return Commit.emit();
  }

  private Allocation requireCurrentAllocation(String id, ResourcesAllocated allocated)
      throws StepException {
    Allocation current =
        store
            .find(id)
            .orElseThrow(
                () ->
                    new StepException(
                        "customer " + id + ": no allocation (deprovisioned?), nothing to start",
                        false,
                        "step=start customer=" + id + " allocation=missing"));
    if (!current.ports().equals(allocated.ports())
        || !current.credentials().equals(allocated.credentials())) {
      throw new StepException(
          "customer " + id + ": the event's allocation is not the customer's current one",
          false,
          "step=start customer="
              + id
              + " event_app_port="
              + allocated.ports().app()
              + " current_app_port="
              + current.appPort);
    }
    return current;
  }

  private TenantSecrets open(String id, ResourcesAllocated allocated) throws StepException {
    try {
      return TenantSecrets.open(id, allocated.credentials(), sealer);
    } catch (SealedEnvelopeException e) {
      throw new StepException(
          "customer " + id + ": credentials cannot be opened", false, e.getMessage());
    }
  }
}
