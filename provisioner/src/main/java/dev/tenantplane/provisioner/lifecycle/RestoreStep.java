package dev.tenantplane.provisioner.lifecycle;

import dev.tenantplane.common.crypto.EnvelopeSealer;
import dev.tenantplane.common.crypto.SealedEnvelopeException;
import dev.tenantplane.common.crypto.TenantSecrets;
import dev.tenantplane.common.events.BackupRestored;
import dev.tenantplane.common.events.ContainersStarted;
import dev.tenantplane.common.events.RestoreRequested;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.naming.CustomerIds;
import dev.tenantplane.common.naming.Plan;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.kit.Commit;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.kit.StepRunner;
import dev.tenantplane.provisioner.allocation.Allocation;
import dev.tenantplane.provisioner.allocation.AllocationStore;
import dev.tenantplane.provisioner.allocation.SubnetAllocator;
import dev.tenantplane.provisioner.allocation.Withdrawals;
import dev.tenantplane.provisioner.driver.StackDriver;
import dev.tenantplane.provisioner.stack.CustomerFolder;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * RestoreRequested → BackupRestored + ContainersStarted: puts the customer's PostgreSQL and Redis
 * back to one of its backups (see {@link StackDriver#restore}), then brings the stack up as planned
 * and waits for its database and Redis. ContainersStarted sends the restored stack down the same
 * road as a new one: the migrator brings the schema to the current version, nginx publishes its
 * route, the health watch reports it READY.
 *
 * <p>The backup may be another customer's (the event's {@code sourceCustomerId}, a clone for
 * support or staging): its files are read from the source's backup folder and restored into this
 * customer's stack; the source's stack is not touched.
 *
 * <p>Refused, not retried: a customer being deprovisioned, one without a stack, a suspended one, a
 * backup whose files are missing or no longer match their checksums.
 */
@ApplicationScoped
public class RestoreStep {
  static final String CONSUMER = "provisioner.restore";
  private static final String STEP = "restore";

  private final StepRunner runner;
  private final AllocationStore store;
  private final Withdrawals withdrawals;
  private final StackDriver driver;
  private final StackLauncher launcher;
  private final SubnetAllocator subnets;
  private final CustomerFolder folder;
  private final EnvelopeSealer sealer;
  private final Clock clock;

  public RestoreStep(
      StepRunner runner,
      AllocationStore store,
      Withdrawals withdrawals,
      StackDriver driver,
      StackLauncher launcher,
      SubnetAllocator subnets,
      CustomerFolder folder,
      EnvelopeSealer sealer,
      Clock clock) {
    this.runner = runner;
    this.store = store;
    this.withdrawals = withdrawals;
    this.driver = driver;
    this.launcher = launcher;
    this.subnets = subnets;
    this.folder = folder;
    this.sealer = sealer;
    this.clock = clock;
  }

  @Incoming("restore-requested")
  public CompletionStage<Void> on(Message<byte[]> record) {
    return runner.submit(record, CONSUMER, Step.RESTORE, RestoreRequested.class, this::reconcile);
  }

  Commit reconcile(RestoreRequested request) throws StepException {
    TenantNames names = new TenantNames(request.customerId());
    String id = names.customerId();
    if (withdrawals.recorded(request.meta())) {
      throw refused(names, "deprovisioning has begun, nothing to restore");
    }
    Allocation allocation =
        store.find(id).orElseThrow(() -> refused(names, "no stack to restore into"));
    if (allocation.suspended()) {
      throw refused(names, "suspended; resume it first");
    }
    TenantSecrets secrets;
    try {
      secrets = TenantSecrets.open(id, allocation.credentials(), sealer);
    } catch (SealedEnvelopeException e) {
      throw new StepException(
          "customer " + id + ": stored credentials cannot be opened", false, e.getMessage());
    }
    String schemaVersion =
        driver.restore(
            names, folder.existingBackup(backupOwner(request), request.backupId()), request, STEP);
    Plan plan = allocation.planOrDefault();
    boolean built =
        launcher.launch(
            launcher.plan(
                names,
                allocation.name,
                plan,
                allocation.ports(),
                subnets.subnetOf(allocation, STEP)),
            secrets,
            request.meta(),
            STEP);
    if (!built) {
      throw refused(names, "deprovisioning began during the restore; the stack stays down");
    }
    BackupRestored restored =
        new BackupRestored(request.meta().next(clock), request.backupId(), schemaVersion);
    return Commit.emit(
        restored,
        new ContainersStarted(
            restored.meta().next(clock),
            plan.wireName(),
            allocation.ports(),
            names.network(),
            names.containers(),
            allocation.credentials()));
  }

  /**
   * The customer whose backup folder holds the backup: a clone's source, else the customer itself.
   * A source no customer can have (the event is checked at the gateway; this keeps a bad one from
   * naming a path outside the customers' folders) is refused.
   */
  private static TenantNames backupOwner(RestoreRequested request) throws StepException {
    String owner = request.backupOwner();
    if (!CustomerIds.isValid(owner)) {
      throw refused(
          new TenantNames(request.customerId()),
          "the backup's customer is no valid customer id; nothing restored");
    }
    return new TenantNames(owner);
  }

  private static StepException refused(TenantNames names, String why) {
    return new StepException(
        "customer " + names.customerId() + ": " + why,
        false,
        "step=" + STEP + " customer=" + names.customerId());
  }
}
