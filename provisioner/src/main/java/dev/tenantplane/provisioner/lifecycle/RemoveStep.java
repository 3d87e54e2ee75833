package dev.tenantplane.provisioner.lifecycle;

import dev.tenantplane.common.events.ContainersRemoved;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.RoutesWithdrawn;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.kit.Commit;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.kit.StepRunner;
import dev.tenantplane.provisioner.allocation.AllocationStore;
import dev.tenantplane.provisioner.allocation.Withdrawals;
import dev.tenantplane.provisioner.driver.StackDriver;
import dev.tenantplane.provisioner.stack.CustomerFolder;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * RoutesWithdrawn → ContainersRemoved: writes a {@code pg_dump} backup, then removes the four
 * containers and the network; with purge the volumes too, without it the customer is being archived
 * and they stay. The backup's name comes from the withdrawal event (an archive's is fixed), so a
 * retry finds the finished backup instead of dumping again, and a volume is never removed without
 * one: purging an archived customer, which has volumes but no container, relies on the backup its
 * archiving wrote, as nothing could change the data since. The customer's withdrawal is recorded
 * first, so that no start or resume builds anything for it any more, and one building right now
 * finishes before the removal begins.
 *
 * <p>The withdrawal is recorded with the event's generation. One of an earlier generation than a
 * withdrawal already recorded, or than the life the customer's allocation serves, belongs to a life
 * of the id that ended, and changes nothing; one of the same generation is a redelivery, or the
 * purge of a customer that generation's withdrawal archived. Each life archives into a backup of
 * its own name, so the purge of a customer archived again after it was brought back relies on that
 * life's archive, never on an older one.
 */
@ApplicationScoped
public class RemoveStep {
  static final String CONSUMER = "provisioner.remove";

  private static final Logger LOG = Logger.getLogger(RemoveStep.class);

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final StepRunner runner;
  private final StackDriver driver;
  private final CustomerFolder folder;
  private final Withdrawals withdrawals;
  private final AllocationStore store;
  private final Clock clock;

  public RemoveStep(
      StepRunner runner,
      StackDriver driver,
      CustomerFolder folder,
      Withdrawals withdrawals,
      AllocationStore store,
      Clock clock) {
    this.store = store;
    this.clock = clock;
    this.runner = runner;
    this.driver = driver;
    this.folder = folder;
    this.withdrawals = withdrawals;
  }

  @Incoming("routes-withdrawn")
  public CompletionStage<Void> on(Message<byte[]> record) {
    return runner.submit(
        record, CONSUMER, Step.REMOVE_CONTAINERS, RoutesWithdrawn.class, this::reconcile);
  }

  Commit reconcile(RoutesWithdrawn withdrawn) throws StepException {
    TenantNames names = new TenantNames(withdrawn.customerId());
    if (Withdrawals.withdrawalLate(
        withdrawals.generation(names.customerId()),
        store.find(names.customerId()).map(a -> a.generation).orElse(null),
        withdrawn.meta().generation())) {
      LOG.infof(
          "customer=%s step=remove outcome=skipped reason=later-generation event=%s",
          names.customerId(), withdrawn.meta().eventId());
      return Commit.emit();
    }
    withdrawals.record(withdrawn.meta());
    String backupFile = backUp(names, withdrawn);
    driver.remove(names, withdrawn.purge());
    List<String> left = driver.leftovers(names, withdrawn.purge());
    if (!left.isEmpty()) {
      throw new StepException(
          "customer " + names.customerId() + ": still present after removal: " + left,
          true,
          "step=remove customer=" + names.customerId());
    }
    return Commit.emit(
        new ContainersRemoved(withdrawn.meta().next(clock), withdrawn.purge(), backupFile));
  }

  /**
   * The backup an archiving of the customer's {@code generation} writes, and a later purge of the
   * archived customer relies on: {@code <database>-archive.sql} for the first generation (the name
   * it always had), {@code <database>-archive-g<generation>.sql} for a later one.
   */
  static String archiveBackupName(TenantNames names, int generation) {
    return generation == EventMeta.FIRST_GENERATION
        ? names.database() + "-archive.sql"
        : names.database() + "-archive-g" + generation + ".sql";
  }

  /** The backup file, or null when the customer has no database to back up. */
  private String backUp(TenantNames names, RoutesWithdrawn withdrawn) throws StepException {
    String id = names.customerId();
    boolean container = driver.containerExists(names, names.databaseContainer());
    boolean volume = driver.volumeExists(names, names.databaseVolume());
    if (!container && !volume) {
      return null;
    }
    Path backups;
    try {
      backups = folder.backups(names);
    } catch (IOException e) {
      throw new StepException(
          "customer " + id + ": cannot create the backups folder: " + e.getMessage(),
          true,
          "step=remove customer=" + id,
          e);
    }
    Path archived = backups.resolve(archiveBackupName(names, withdrawn.meta().generation()));
    Path target =
        withdrawn.purge()
            ? backups.resolve(
                names.database() + "-" + STAMP.format(withdrawn.meta().time()) + ".sql")
            : archived;
    if (Files.exists(target)) {
      return target.toString();
    }
    if (!container) {
      if (Files.exists(archived)) {
        return archived.toString();
      }
      if (!withdrawn.purge()) {
        // Archiving removes no volume, so it loses nothing without a backup; a later purge
        // refuses until one exists.
        return null;
      }
      throw new StepException(
          "customer "
              + id
              + ": volume "
              + names.databaseVolume()
              + " has no container to back it"
              + " up; the volume is kept",
          false,
          "step=remove customer=" + id + " volume=" + names.databaseVolume());
    }
    driver.dumpDatabase(names, target, "remove");
    return target.toString();
  }
}
