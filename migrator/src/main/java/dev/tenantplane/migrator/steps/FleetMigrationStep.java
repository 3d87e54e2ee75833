package dev.tenantplane.migrator.steps;

import dev.tenantplane.common.events.FleetMigrationRequested;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.kit.Commit;
import dev.tenantplane.kit.StepRunner;
import dev.tenantplane.migrator.MigratorSettings;
import dev.tenantplane.migrator.fleet.FleetRuns;
import dev.tenantplane.migrator.fleet.FleetWorker;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * FleetMigrationRequested → a fleet run recorded with every active customer, and nothing more: the
 * {@link FleetWorker} migrates them afterwards, so the consumer never waits for a whole fleet
 * (which could outlast Kafka's {@code max.poll.interval.ms}). A fleet with no active customer
 * completes at once.
 */
@ApplicationScoped
public class FleetMigrationStep {
  static final String CONSUMER = "migrator.fleet";

  private final StepRunner runner;
  private final FleetRuns runs;
  private final MigratorSettings settings;

  public FleetMigrationStep(StepRunner runner, FleetRuns runs, MigratorSettings settings) {
    this.runner = runner;
    this.runs = runs;
    this.settings = settings;
  }

  @Incoming("fleet-migration-requested")
  public CompletionStage<Void> on(Message<byte[]> record) {
    return runner.submit(
        record, CONSUMER, Step.MIGRATE_FLEET, FleetMigrationRequested.class, this::reconcile);
  }

  private Commit reconcile(FleetMigrationRequested request) {
    int concurrency =
        Math.max(1, Math.min(request.maxConcurrency(), settings.fleetConcurrencyLimit()));
    return () ->
        runs.open(request, concurrency)
            .chain(
                customers ->
                    customers > 0
                        ? Uni.createFrom().item(List.<LifecycleEvent>of())
                        : runs.completeIfFinished(request.meta().eventId()));
  }
}
