package dev.tenantplane.provisioner.lifecycle;

import dev.tenantplane.common.events.BackupCompleted;
import dev.tenantplane.common.events.BackupRequested;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.kit.Commit;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.kit.StepRunner;
import dev.tenantplane.provisioner.allocation.Allocation;
import dev.tenantplane.provisioner.allocation.AllocationStore;
import dev.tenantplane.provisioner.allocation.Withdrawals;
import dev.tenantplane.provisioner.driver.StackDriver;
import dev.tenantplane.provisioner.driver.WrittenBackup;
import dev.tenantplane.provisioner.stack.CustomerFolder;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * BackupRequested → BackupCompleted: writes a checked backup of the customer's PostgreSQL and Redis
 * into {@code <customer>/backups/<backup id>/} (0700, files 0600; the archive is checked by a
 * restore into a scratch database), then deletes the older backups the request names as outside
 * retention.
 *
 * <p>Refused, not retried: a customer being deprovisioned, one without a stack, a suspended one
 * (its database is stopped: resume it first). A database or Redis container that is not running
 * (being restarted by the health watch) is retried.
 */
@ApplicationScoped
public class BackupStep {
  static final String CONSUMER = "provisioner.backup";
  private static final String STEP = "backup";

  private final StepRunner runner;
  private final AllocationStore store;
  private final Withdrawals withdrawals;
  private final StackDriver driver;
  private final CustomerFolder folder;
  private final Clock clock;

  public BackupStep(
      StepRunner runner,
      AllocationStore store,
      Withdrawals withdrawals,
      StackDriver driver,
      CustomerFolder folder,
      Clock clock) {
    this.runner = runner;
    this.store = store;
    this.withdrawals = withdrawals;
    this.driver = driver;
    this.folder = folder;
    this.clock = clock;
  }

  @Incoming("backup-requested")
  public CompletionStage<Void> on(Message<byte[]> record) {
    return runner.submit(record, CONSUMER, Step.BACKUP, BackupRequested.class, this::reconcile);
  }

  Commit reconcile(BackupRequested request) throws StepException {
    TenantNames names = new TenantNames(request.customerId());
    requireRunningStack(names, request.meta());
    Path dir;
    try {
      dir = folder.backup(names, request.backupId());
    } catch (IOException e) {
      throw failure(names, "cannot create the backup folder: " + e.getMessage(), true);
    }
    WrittenBackup written;
    try {
      written = driver.writeBackup(names, dir, STEP);
    } catch (StepException e) {
      removeIfEmpty(dir);
      throw e;
    }
    List<UUID> pruned = prune(names, request);
    return Commit.emit(
        new BackupCompleted(
            request.meta().next(clock),
            written.database(),
            written.redis(),
            written.schemaVersion(),
            pruned,
            written.restoredRows()));
  }

  /** Only now that the new backup is written and checked do the ones it replaces go. */
  private List<UUID> prune(TenantNames names, BackupRequested request) throws StepException {
    List<UUID> pruned =
        request.prune().stream().filter(old -> !old.equals(request.backupId())).toList();
    for (UUID old : pruned) {
      try {
        folder.deleteBackup(names, old);
      } catch (IOException e) {
        throw failure(names, "cannot prune backup " + old + ": " + e.getMessage(), true);
      }
    }
    return pruned;
  }

  /**
   * A backup that wrote nothing (no space, a database that refused) leaves no folder behind; one
   * holding a file that was written and checked keeps it for the next attempt to reuse.
   */
  private static void removeIfEmpty(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (IOException notEmptyOrGone) {
      // Not empty: the next attempt checks and reuses what is there.
    }
  }

  private void requireRunningStack(TenantNames names, EventMeta meta) throws StepException {
    String id = names.customerId();
    if (withdrawals.recorded(meta)) {
      throw failure(names, "deprovisioning has begun, nothing to back up", false);
    }
    Optional<Allocation> allocation = store.find(id);
    if (allocation.isEmpty()) {
      throw failure(names, "no stack to back up", false);
    }
    if (allocation.get().suspended()) {
      throw failure(names, "suspended, so its database is stopped; resume it first", false);
    }
    for (String container : List.of(names.databaseContainer(), names.redisContainer())) {
      if (!driver.isRunning(names, container)) {
        throw failure(names, container + " is not running", true);
      }
    }
  }

  private static StepException failure(TenantNames names, String why, boolean retryable) {
    return new StepException(
        "customer " + names.customerId() + ": " + why,
        retryable,
        "step=" + STEP + " customer=" + names.customerId());
  }
}
