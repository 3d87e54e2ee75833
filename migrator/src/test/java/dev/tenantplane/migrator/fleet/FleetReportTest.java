package dev.tenantplane.migrator.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.FleetMigrationCompleted;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.common.naming.CustomerIds;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FleetReportTest {
  private final UUID run = UUID.randomUUID();
  private final UUID correlation = UUID.randomUUID();

  @Test
  void eachFailedCustomerIsAddressedInTheGenerationOfTheLifeTheRunMigrated() {
    List<LifecycleEvent> events =
        FleetReport.events(
            run,
            correlation,
            List.of(
                new FleetReport.Finished("first-life", 1, CustomerResult.failed("refused", null)),
                new FleetReport.Finished("third-life", 3, CustomerResult.failed("refused", null)),
                new FleetReport.Finished("fine", 2, CustomerResult.migrated("2"))),
            Clock.systemUTC());

    assertThat(events).hasSize(3);
    FleetMigrationCompleted completed = (FleetMigrationCompleted) events.get(0);
    assertThat(completed.customerId()).isEqualTo(CustomerIds.FLEET);
    assertThat(completed.meta().generation()).isEqualTo(EventMeta.FIRST_GENERATION);
    assertThat(events.subList(1, 3))
        .map(StepFailed.class::cast)
        .extracting(e -> e.customerId() + "@" + e.meta().generation())
        .containsExactly("first-life@1", "third-life@3");
    assertThat(events)
        .allSatisfy(
            e -> {
              assertThat(e.meta().causationId()).isEqualTo(run);
              assertThat(e.meta().correlationId()).isEqualTo(correlation);
            });
  }
}
