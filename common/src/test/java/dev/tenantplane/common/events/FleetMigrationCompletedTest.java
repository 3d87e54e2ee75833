package dev.tenantplane.common.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantplane.common.events.FleetMigrationCompleted.CustomerOutcome;
import dev.tenantplane.common.events.FleetMigrationCompleted.Outcome;
import dev.tenantplane.common.kafka.EventCodec;
import java.io.IOException;
import java.io.InputStream;
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
    assertThat(json(codec.toJson(event)).has("outcomes")).isFalse();
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
    assertThat(json(codec.toJson(event))).isEqualTo(json(sample(WITH_OUTCOMES)));
  }

  @Test
  void consumerThatKnowsOnlyTheFirstFieldsReadsTheNewShape() throws IOException {
    record FirstShape(
        EventMeta meta, String schemaVersion, int migrated, List<String> failedCustomers) {}

    FirstShape old = codec.mapper().readValue(sample(WITH_OUTCOMES), FirstShape.class);

    assertThat(old.migrated()).isEqualTo(1);
    assertThat(old.failedCustomers()).containsExactly("techstart");
  }

  private FleetMigrationCompleted read(String path) throws IOException {
    return (FleetMigrationCompleted)
        codec.fromJson(EventType.FLEET_MIGRATION_COMPLETED, sample(path));
  }

  private JsonNode json(byte[] bytes) throws IOException {
    return codec.mapper().readTree(bytes);
  }

  private static byte[] sample(String path) throws IOException {
    try (InputStream in = FleetMigrationCompletedTest.class.getResourceAsStream(path)) {
      assertThat(in).as("sample %s", path).isNotNull();
      return in.readAllBytes();
    }
  }
}
