package dev.tenantplane.migrator.steps;

import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.FleetMigrationCompleted;
import dev.tenantplane.common.events.FleetMigrationRequested;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.kit.Commit;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.kit.StepRunner;
import dev.tenantplane.migrator.MigratorSettings;
import dev.tenantplane.migrator.registry.CustomerRegistry;
import dev.tenantplane.migrator.registry.MigratedCustomer;
import dev.tenantplane.migrator.tenant.MigrationOutcome;
import dev.tenantplane.migrator.tenant.TenantDatabases;
import dev.tenantplane.migrator.tenant.TenantMigrator;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * FleetMigrationRequested → every active customer at the latest schema, a bounded number at a time
 * → FleetMigrationCompleted, plus a StepFailed per customer that could not be migrated. One
 * customer's failure does not stop the others.
 */
@ApplicationScoped
public class FleetMigrationStep {
  static final String CONSUMER = "migrator.fleet";
  private static final Logger LOG = Logger.getLogger(FleetMigrationStep.class);

  private final StepRunner runner;
  private final CustomerRegistry registry;
  private final TenantDatabases databases;
  private final TenantMigrator migrator;
  private final MigratorSettings settings;
  private final Clock clock = Clock.systemUTC();

  public FleetMigrationStep(
      StepRunner runner,
      CustomerRegistry registry,
      TenantDatabases databases,
      TenantMigrator migrator,
      MigratorSettings settings) {
    this.runner = runner;
    this.registry = registry;
    this.databases = databases;
    this.migrator = migrator;
    this.settings = settings;
  }

  @Incoming("fleet-migration-requested")
  @Blocking
  public void on(ConsumerRecord<String, byte[]> record) {
    runner.run(
        record, CONSUMER, Step.MIGRATE_FLEET, FleetMigrationRequested.class, this::reconcile);
  }

  private record Result(String customerId, MigrationOutcome outcome, StepException failure) {}

  private Commit reconcile(FleetMigrationRequested request) throws Exception {
    List<MigratedCustomer> customers = registry.active();
    int concurrency =
        Math.max(1, Math.min(request.maxConcurrency(), settings.fleetConcurrencyLimit()));
    List<Result> results = migrateAll(customers, concurrency);

    List<Result> migrated = results.stream().filter(r -> r.failure() == null).toList();
    List<Result> failed = results.stream().filter(r -> r.failure() != null).toList();
    String version =
        migrated.stream()
            .map(r -> r.outcome().schemaVersion())
            .max(Comparator.comparing(FleetMigrationStep::versionKey))
            .orElse("none");
    LOG.infof(
        "customer=%s step=MIGRATE_FLEET outcome=completed customers=%d migrated=%d failed=%d"
            + " concurrency=%d schema_version=%s",
        request.customerId(),
        customers.size(),
        migrated.size(),
        failed.size(),
        concurrency,
        version);

    List<LifecycleEvent> events = new ArrayList<>();
    events.add(
        new FleetMigrationCompleted(
            request.meta().next(clock),
            version,
            migrated.size(),
            failed.stream().map(Result::customerId).toList()));
    for (Result r : failed) {
      events.add(
          new StepFailed(
              customerMeta(request, r.customerId()),
              Step.MIGRATE_FLEET,
              1,
              r.failure().getMessage(),
              false,
              r.failure().detail()));
    }
    return () -> {
      Uni<Void> chain = Uni.createFrom().voidItem();
      for (Result r : migrated) {
        chain =
            chain.chain(() -> registry.recordVersion(r.customerId(), r.outcome().schemaVersion()));
      }
      return chain.replaceWith(events);
    };
  }

  private List<Result> migrateAll(List<MigratedCustomer> customers, int concurrency)
      throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<Result>> futures = new ArrayList<>();
      for (MigratedCustomer customer : customers) {
        futures.add(pool.submit(() -> migrateOne(customer)));
      }
      List<Result> results = new ArrayList<>();
      for (int i = 0; i < futures.size(); i++) {
        try {
          results.add(futures.get(i).get());
        } catch (ExecutionException e) {
          String id = customers.get(i).customerId;
          results.add(
              new Result(
                  id,
                  null,
                  new StepException(
                      "migration of " + id + " failed: " + e.getCause(),
                      false,
                      e.getCause().getClass().getName())));
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private Result migrateOne(MigratedCustomer customer) {
    try {
      TenantDatabases.Target target =
          databases.target(customer.customerId, customer.dbPort, customer.envelope());
      MigrationOutcome outcome =
          migrator.migrate(
              target.database(), target.secrets().appDatabasePassword(), Step.MIGRATE_FLEET);
      return new Result(customer.customerId, outcome, null);
    } catch (StepException e) {
      LOG.warnf(
          "customer=%s step=MIGRATE_FLEET outcome=failed reason=\"%s\"",
          customer.customerId, e.getMessage());
      return new Result(customer.customerId, null, e);
    }
  }

  /** The failure belongs to the customer, in the fleet run's correlation. */
  private EventMeta customerMeta(FleetMigrationRequested request, String customerId) {
    return new EventMeta(
        UUID.randomUUID(),
        customerId,
        request.meta().correlationId(),
        request.meta().eventId(),
        clock.instant(),
        EventMeta.SCHEMA_VERSION);
  }

  /** Orders Flyway versions such as {@code 2} and {@code 10} numerically, part by part. */
  private static String versionKey(String version) {
    StringBuilder key = new StringBuilder();
    for (String part : version.split("\\.")) {
      key.append(String.format("%10s", part)).append('.');
    }
    return key.toString();
  }
}
