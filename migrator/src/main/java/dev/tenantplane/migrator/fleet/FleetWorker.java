package dev.tenantplane.migrator.fleet;

import dev.tenantplane.common.events.FleetMigrationCompleted;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.retry.RetryPolicy;
import dev.tenantplane.kit.Outbox;
import dev.tenantplane.kit.OutboxRelay;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.migrator.MigratorSettings;
import dev.tenantplane.migrator.tenant.MigrationOutcome;
import dev.tenantplane.migrator.tenant.TenantDatabases;
import dev.tenantplane.migrator.tenant.TenantMigrator;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Migrates the customers of recorded fleet runs, away from the Kafka consumer that recorded them:
 * each round claims as many customers as this instance has free threads (at most {@code
 * fleet-concurrency-limit}) and each run allows, and migrates them on its own pool. A customer's
 * result and, after the last one, the run's report are committed with the outbox.
 */
@ApplicationScoped
public class FleetWorker {
  private static final Logger LOG = Logger.getLogger(FleetWorker.class);
  private static final RetryPolicy RECORD_RETRIES =
      RetryPolicy.unlimited(Duration.ofSeconds(1), 2, Duration.ofSeconds(30));
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final FleetRuns runs;
  private final TenantDatabases databases;
  private final TenantMigrator migrator;
  private final Outbox outbox;
  private final OutboxRelay relay;
  private final MigratorSettings settings;
  private final ExecutorService pool;
  private final AtomicInteger busy = new AtomicInteger();
  private final Set<FleetClaim> inHand = ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;

  public FleetWorker(
      FleetRuns runs,
      TenantDatabases databases,
      TenantMigrator migrator,
      Outbox outbox,
      OutboxRelay relay,
      MigratorSettings settings) {
    this.runs = runs;
    this.databases = databases;
    this.migrator = migrator;
    this.outbox = outbox;
    this.relay = relay;
    this.settings = settings;
    AtomicInteger threads = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            settings.fleetConcurrencyLimit(),
            task -> {
              Thread thread = new Thread(task, "fleet-migration-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  @Scheduled(
      every = "${tenantplane.migrator.fleet-poll-interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    claimRound();
  }

  /**
   * One round: completes runs with nothing left to do and hands newly claimed customers to the
   * pool. Returns the customers it claimed. Never throws: what it cannot do waits for the next.
   */
  public List<FleetClaim> claimRound() {
    if (stopping) {
      return List.of();
    }
    int room = settings.fleetConcurrencyLimit() - busy.get();
    FleetRuns.Round round;
    try {
      round =
          VertxContextSupport.subscribeAndAwait(
              () ->
                  Panache.withTransaction(
                      () ->
                          runs.claimRound(room, settings.fleetClaimTimeout())
                              .call(r -> addAll(r.completions()))));
    } catch (Throwable e) {
      LOG.warnf("step=MIGRATE_FLEET outcome=claim-failed reason=\"%s\"", e.getMessage());
      return List.of();
    }
    published(round.completions());
    for (FleetClaim claim : round.claims()) {
      busy.incrementAndGet();
      inHand.add(claim);
      pool.execute(() -> migrateAndRecord(claim));
    }
    return round.claims();
  }

  private void migrateAndRecord(FleetClaim claim) {
    try {
      CustomerResult result = migrate(claim);
      List<LifecycleEvent> completion =
          record(
              () -> Panache.withTransaction(() -> runs.finish(claim, result).call(this::addAll)));
      inHand.remove(claim);
      published(completion);
    } catch (RecordAbandoned e) {
      LOG.warnf(
          "customer=%s step=MIGRATE_FLEET run=%s outcome=result-not-recorded reason=\"%s\"",
          claim.customerId(), claim.runId(), e.getMessage());
    } finally {
      busy.decrementAndGet();
    }
  }

  private CustomerResult migrate(FleetClaim claim) {
    try {
      TenantDatabases.Target target =
          databases.target(claim.customerId(), claim.dbPort(), claim.credentials());
      MigrationOutcome outcome =
          migrator.migrate(
              target.database(), target.secrets().appDatabasePassword(), Step.MIGRATE_FLEET);
      return outcome.migrationsApplied() > 0
          ? CustomerResult.migrated(outcome.schemaVersion())
          : CustomerResult.alreadyCurrent(outcome.schemaVersion());
    } catch (StepException e) {
      LOG.warnf(
          "customer=%s step=MIGRATE_FLEET run=%s outcome=failed reason=\"%s\"",
          claim.customerId(), claim.runId(), e.getMessage());
      return CustomerResult.failed(e.getMessage(), e.detail());
    } catch (RuntimeException e) {
      String reason = "migration of " + claim.customerId() + " failed: " + e;
      LOG.warnf(
          "customer=%s step=MIGRATE_FLEET run=%s outcome=failed reason=\"%s\"",
          claim.customerId(), claim.runId(), reason);
      return CustomerResult.failed(reason, e.getClass().getName());
    }
  }

  private Uni<Void> addAll(List<LifecycleEvent> events) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (LifecycleEvent event : events) {
      chain = chain.chain(() -> outbox.add(event));
    }
    return chain;
  }

  private void published(List<LifecycleEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    relay.publishNow();
    for (LifecycleEvent event : events) {
      if (event instanceof FleetMigrationCompleted done) {
        LOG.infof(
            "customer=%s step=MIGRATE_FLEET run=%s correlation=%s outcome=completed customers=%d"
                + " migrated=%d already_current=%d failed=%d schema_version=%s",
            done.customerId(),
            done.meta().causationId(),
            done.meta().correlationId(),
            done.outcomes().size(),
            done.migrated(),
            done.alreadyCurrent().size(),
            done.failedCustomers().size(),
            done.schemaVersion());
      }
    }
  }

  /**
   * Stores a result, retrying while the control-plane database does not take it: the migration is
   * done, only its record is missing. Gives up at shutdown: the claim is then given back (or, if
   * that fails too, times out) and the customer is migrated again by whichever instance takes it;
   * Flyway finds nothing pending, so the report calls it already current.
   */
  private <T> T record(Supplier<Uni<T>> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return VertxContextSupport.subscribeAndAwait(work);
      } catch (Throwable e) {
        if (stopping) {
          throw new RecordAbandoned(e);
        }
        LOG.warnf(
            "step=MIGRATE_FLEET outcome=store-failed retry_in=%s reason=\"%s\"",
            RECORD_RETRIES.delayAfter(attempt), e);
        try {
          RECORD_RETRIES.pauseAfter(attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new RecordAbandoned(interrupted);
        }
      }
    }
  }

  /** Stops claiming; claims still in hand after a short grace go back for another instance. */
  void onShutdown(@Observes ShutdownEvent event) {
    stopping = true;
    pool.shutdown();
    try {
      pool.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<FleetClaim> unfinished = new ArrayList<>(inHand);
    if (unfinished.isEmpty()) {
      return;
    }
    try {
      VertxContextSupport.subscribeAndAwait(
          () -> Panache.withTransaction(() -> runs.release(unfinished)));
      LOG.infof("step=MIGRATE_FLEET outcome=released-at-shutdown customers=%d", unfinished.size());
    } catch (Throwable e) {
      LOG.warnf(
          "step=MIGRATE_FLEET outcome=release-failed customers=%d reason=\"%s\"",
          unfinished.size(), e.getMessage());
    }
  }

  /** A result that could not be stored before shutdown. */
  private static final class RecordAbandoned extends RuntimeException {
    RecordAbandoned(Throwable cause) {
      super(cause.getMessage(), cause);
    }
  }
}
