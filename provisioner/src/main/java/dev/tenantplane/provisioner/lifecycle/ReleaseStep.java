package dev.tenantplane.provisioner.lifecycle;

import dev.tenantplane.common.events.ContainersRemoved;
import dev.tenantplane.common.events.CustomerArchived;
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
import dev.tenantplane.provisioner.driver.StackDriver;
import dev.tenantplane.provisioner.stack.CustomerFolder;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * ContainersRemoved → ResourcesReleased + CustomerDeprovisioned after a purge: deletes the
 * generated files (the {@code .env} with the secrets among them; backups stay) and the allocation
 * row, which returns the ports to the pool and destroys the sealed credentials, with the published
 * outbox rows that carried copies of them.
 *
 * <p>Without purge, ContainersRemoved → CustomerArchived: the customer keeps its files, its
 * allocation and its volumes, so that its data stays usable (the volumes' passwords are in the
 * sealed credentials) and nothing it holds is unlisted; the event names the volumes with the space
 * they use and the backup taken before the containers went.
 */
@ApplicationScoped
public class ReleaseStep {
  static final String CONSUMER = "provisioner.release";

  private final StepRunner runner;
  private final AllocationStore store;
  private final CustomerFolder folder;
  private final Outbox outbox;
  private final StackDriver driver;
  private final Clock clock;

  public ReleaseStep(
      StepRunner runner,
      AllocationStore store,
      CustomerFolder folder,
      Outbox outbox,
      StackDriver driver,
      Clock clock) {
    this.driver = driver;
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
    if (!removed.purge()) {
      return Commit.emit(
          new CustomerArchived(
              removed.meta().next(clock),
              removed.backupFile(),
              driver.volumeUsage(names, "release")));
    }
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
