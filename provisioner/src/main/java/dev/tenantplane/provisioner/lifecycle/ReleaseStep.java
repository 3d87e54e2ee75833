package dev.tenantplane.provisioner.lifecycle;

import dev.tenantplane.common.events.ContainersRemoved;
import dev.tenantplane.common.events.CustomerDeprovisioned;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.ResourcesReleased;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.kit.Commit;
import dev.tenantplane.kit.Outbox;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.kit.StepRunner;
import dev.tenantplane.provisioner.allocation.AllocationStore;
import dev.tenantplane.provisioner.stack.CustomerFolder;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * ContainersRemoved → ResourcesReleased + CustomerDeprovisioned: deletes the generated files (the
 * {@code .env} with the secrets among them; backups stay) and the allocation row, which returns the
 * ports to the pool and destroys the sealed credentials, with the published outbox rows that
 * carried copies of them.
 */
@ApplicationScoped
public class ReleaseStep {
  static final String CONSUMER = "provisioner.release";

  private final StepRunner runner;
  private final AllocationStore store;
  private final CustomerFolder folder;
  private final Outbox outbox;
  private final Clock clock;

  public ReleaseStep(
      StepRunner runner, AllocationStore store, CustomerFolder folder, Outbox outbox, Clock clock) {
    this.clock = clock;
    this.outbox = outbox;
    this.runner = runner;
    this.store = store;
    this.folder = folder;
  }

  @Incoming("containers-removed")
  public CompletionStage<Void> on(Message<byte[]> record) {
    return runner.submit(
        record, CONSUMER, Step.RELEASE_RESOURCES, ContainersRemoved.class, this::reconcile);
  }

  Commit reconcile(ContainersRemoved removed) throws StepException {
    TenantNames names = new TenantNames(removed.customerId());
    try {
      folder.removeGeneratedFiles(names);
    } catch (IOException e) {
      throw new StepException(
          "customer " + names.customerId() + ": cannot delete its files: " + e.getMessage(),
          true,
          "step=release customer=" + names.customerId(),
          e);
    }
    ResourcesReleased released = new ResourcesReleased(removed.meta().next(clock));
    CustomerDeprovisioned deprovisioned = new CustomerDeprovisioned(released.meta().next(clock));
    List<LifecycleEvent> events = List.of(released, deprovisioned);
    return () ->
        store
            .release(names.customerId())
            .chain(() -> outbox.forgetPublished(names.customerId()))
            .replaceWith(events);
  }
}
