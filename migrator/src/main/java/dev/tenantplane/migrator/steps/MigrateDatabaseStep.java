package dev.tenantplane.migrator.steps;

import dev.tenantplane.common.events.ContainersStarted;
import dev.tenantplane.common.events.DatabaseMigrated;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.kit.Commit;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.kit.StepRunner;
import dev.tenantplane.migrator.registry.CustomerRegistry;
import dev.tenantplane.migrator.tenant.MigrationOutcome;
import dev.tenantplane.migrator.tenant.TenantDatabase;
import dev.tenantplane.migrator.tenant.TenantDatabases;
import dev.tenantplane.migrator.tenant.TenantMigrator;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * ContainersStarted → the tenant database at the latest schema → DatabaseMigrated. One of a life of
 * the customer that ended (see {@link CustomerRegistry#late}) migrates and emits nothing.
 */
@ApplicationScoped
public class MigrateDatabaseStep {
  static final String CONSUMER = "migrator.migrate";
  private static final Logger LOG = Logger.getLogger(MigrateDatabaseStep.class);

  private final StepRunner runner;
  private final TenantDatabases databases;
  private final TenantMigrator migrator;
  private final CustomerRegistry registry;
  private final Clock clock;

  public MigrateDatabaseStep(
      StepRunner runner,
      TenantDatabases databases,
      TenantMigrator migrator,
      CustomerRegistry registry,
      Clock clock) {
    this.clock = clock;
    this.runner = runner;
    this.databases = databases;
    this.migrator = migrator;
    this.registry = registry;
  }

  @Incoming("containers-started")
  public CompletionStage<Void> on(Message<byte[]> record) {
    return runner.submit(
        record, CONSUMER, Step.MIGRATE_DATABASE, ContainersStarted.class, this::reconcile);
  }

  private Commit reconcile(ContainersStarted started) throws StepException {
    if (registry.ended(started.meta())) {
      // A late event of a life that ended: its database is gone or archived, and a later life of
      // the id is migrated by its own ContainersStarted.
      LOG.infof(
          "customer=%s step=migrate outcome=skipped reason=ended generation=%d event=%s",
          started.customerId(), started.meta().generation(), started.meta().eventId());
      return Commit.emit();
    }
    TenantDatabases.Target target =
        databases.target(started.customerId(), started.ports().database(), started.credentials());
    TenantDatabase db = target.database();
    MigrationOutcome outcome =
        migrator.migrate(db, target.secrets().appDatabasePassword(), Step.MIGRATE_DATABASE);
    DatabaseMigrated migrated =
        new DatabaseMigrated(
            started.meta().next(clock),
            outcome.schemaVersion(),
            started.ports(),
            started.credentials());
    return () ->
        registry
            .remember(
                started.meta(),
                started.ports().database(),
                started.credentials(),
                outcome.schemaVersion())
            .replaceWith(List.<LifecycleEvent>of(migrated));
  }
}
