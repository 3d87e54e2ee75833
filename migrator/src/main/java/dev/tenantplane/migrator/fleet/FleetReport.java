package dev.tenantplane.migrator.fleet;

import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.FleetMigrationCompleted;
import dev.tenantplane.common.events.FleetMigrationCompleted.CustomerOutcome;
import dev.tenantplane.common.events.FleetMigrationCompleted.Outcome;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.common.naming.CustomerIds;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * The events that close a fleet run: one FleetMigrationCompleted with every customer's outcome, and
 * a StepFailed(MIGRATE_FLEET) per customer that failed, addressed to that customer (in the
 * generation of the life the run migrated) in the run's correlation so its timeline shows it.
 */
final class FleetReport {
  private FleetReport() {}

  /** A finished customer of the run, as stored, with the generation of the life it migrated. */
  record Finished(String customerId, int generation, CustomerResult result) {}

  /**
   * @param runId the FleetMigrationRequested's event id: the cause of every event of the report
   */
  static List<LifecycleEvent> events(
      UUID runId, UUID correlationId, List<Finished> finished, Clock clock) {
    List<Finished> sorted =
        finished.stream().sorted(Comparator.comparing(Finished::customerId)).toList();
    List<CustomerOutcome> outcomes =
        sorted.stream()
            .map(
                f ->
                    new CustomerOutcome(
                        f.customerId(),
                        f.result().outcome(),
                        f.result().schemaVersion(),
                        f.result().reason()))
            .toList();
    List<String> failed =
        sorted.stream().filter(f -> !f.result().succeeded()).map(Finished::customerId).toList();
    int migrated =
        (int) sorted.stream().filter(f -> f.result().outcome() == Outcome.MIGRATED).count();

    List<LifecycleEvent> events = new ArrayList<>();
    events.add(
        new FleetMigrationCompleted(
            meta(CustomerIds.FLEET, EventMeta.FIRST_GENERATION, runId, correlationId, clock),
            latestVersion(sorted),
            migrated,
            failed,
            outcomes));
    for (Finished f : sorted) {
      if (!f.result().succeeded()) {
        events.add(
            new StepFailed(
                meta(f.customerId(), f.generation(), runId, correlationId, clock),
                Step.MIGRATE_FLEET,
                1,
                f.result().reason(),
                false,
                f.result().detail()));
      }
    }
    return events;
  }

  private static EventMeta meta(
      String customerId, int generation, UUID runId, UUID correlationId, Clock clock) {
    return EventMeta.within(customerId, generation, correlationId, runId, clock.instant());
  }

  /** The highest version any customer reached; {@code none} when none succeeded. */
  private static String latestVersion(List<Finished> finished) {
    return finished.stream()
        .filter(f -> f.result().succeeded())
        .map(f -> f.result().schemaVersion())
        .max(Comparator.comparing(FleetReport::versionKey))
        .orElse("none");
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
