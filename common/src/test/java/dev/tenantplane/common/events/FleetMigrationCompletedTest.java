package dev.tenantplane.common.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tenantplane.common.events.FleetMigrationCompleted.CustomerOutcome;
import dev.tenantplane.common.events.FleetMigrationCompleted.Outcome;
import dev.tenantplane.common.kafka.EventCodec;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Per-customer outcomes were added to FleetMigrationCompleted within v1: the sample without them
 * (read by {@link EventSamplesTest}) and the sample with them must both read and write unchanged.
 */
class FleetMigrationCompletedTest {
  private static final String WITHOUT_OUTCOMES =
      "/events/tenantplane.fleet.migration-completed.v1.json";
  private static final String WITH_OUTCOMES =
      "/events/tenantplane.fleet.migration-completed.v1.outcomes.json";

  private final EventCodec codec = new EventCodec("/tenantplane/test");

  @Test
  void eventWithoutOutcomesReadsAsAnEmptyListAndIsWrittenWithoutThem() throws IOException {
    FleetMigrationCompleted event = read(WITHOUT_OUTCOMES);

    assertThat(event.outcomes()).isEmpty();
    assertThat(event.alreadyCurrent()).isEmpty();
    assertThat(event.migrated()).isEqualTo(11);
    assertThat(Samples.json(codec, codec.toJson(event)).has("outcomes")).isFalse();
  }

  @Test
  void eventWithOutcomesNamesEachCustomersResultAndRoundTrips() throws IOException {
    FleetMigrationCompleted event = read(WITH_OUTCOMES);

    assertThat(event.outcomes())
        .extracting(CustomerOutcome::customerId, CustomerOutcome::outcome)
        .containsExactly(
            tuple("acme-corp", Outcome.MIGRATED),
            tuple("globex", Outcome.ALREADY_CURRENT),
            tuple("techstart", Outcome.FAILED));
    assertThat(event.alreadyCurrent()).containsExactly("globex");
    assertThat(event.outcomes().get(2).reason()).contains("version 5");
    assertThat(Samples.json(codec, codec.toJson(event)))
        .isEqualTo(Samples.json(codec, Samples.read(WITH_OUTCOMES)));
  }

  @Test
  void consumerThatKnowsOnlyTheFirstFieldsReadsTheNewShape() throws IOException {
    record FirstShape(
        EventMeta meta, String schemaVersion, int migrated, List<String> failedCustomers) {}

    FirstShape old = codec.mapper().readValue(Samples.read(WITH_OUTCOMES), FirstShape.class);

    assertThat(old.migrated()).isEqualTo(1);
    assertThat(old.failedCustomers()).containsExactly("techstart");
  }

  private FleetMigrationCompleted read(String path) throws IOException {
    return (FleetMigrationCompleted)
        codec.fromJson(EventType.FLEET_MIGRATION_COMPLETED, Samples.read(path));
  }
}
