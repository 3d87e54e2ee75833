package dev.tenantplane.common.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.kafka.EventCodec;
import java.io.IOException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Retention added {@code prune} to BackupRequested and {@code pruned} to BackupCompleted within v1:
 * the samples without them (read by {@link EventSamplesTest}) mean "prune nothing", and the samples
 * with them read and write unchanged.
 */
class BackupRetentionEventsTest {
  private static final UUID OLD_BACKUP = UUID.fromString("0f1e2d3c-4b5a-4968-8776-655443322110");

  private final EventCodec codec = new EventCodec("/tenantplane/test");

  @Test
  void requestWithoutPruneListPrunesNothingAndIsWrittenWithoutIt() throws IOException {
    BackupRequested request =
        (BackupRequested)
            codec.fromJson(
                EventType.BACKUP_REQUESTED,
                Samples.read("/events/tenantplane.backup.requested.v1.json"));

    assertThat(request.prune()).isEmpty();
    assertThat(Samples.json(codec, codec.toJson(request)).has("prune")).isFalse();
  }

  @Test
  void requestAndCompletionNameTheBackupsOutsideRetention() throws IOException {
    String requestSample = "/events/tenantplane.backup.requested.v1.pruning.json";
    String completionSample = "/events/tenantplane.backup.completed.v1.pruning.json";
    BackupRequested request =
        (BackupRequested) codec.fromJson(EventType.BACKUP_REQUESTED, Samples.read(requestSample));
    BackupCompleted completion =
        (BackupCompleted)
            codec.fromJson(EventType.BACKUP_COMPLETED, Samples.read(completionSample));

    assertThat(request.prune()).containsExactly(OLD_BACKUP);
    assertThat(completion.pruned()).containsExactly(OLD_BACKUP);
    assertThat(Samples.json(codec, codec.toJson(request)))
        .isEqualTo(Samples.json(codec, Samples.read(requestSample)));
    assertThat(Samples.json(codec, codec.toJson(completion)))
        .isEqualTo(Samples.json(codec, Samples.read(completionSample)));
  }

  @Test
  void completionWithARestoreRehearsalListsEachTablesRowsAndOneWithoutListsNone()
      throws IOException {
    String rehearsalSample = "/events/tenantplane.backup.completed.v1.rehearsal.json";
    BackupCompleted rehearsed =
        (BackupCompleted) codec.fromJson(EventType.BACKUP_COMPLETED, Samples.read(rehearsalSample));
    BackupCompleted earlier =
        (BackupCompleted)
            codec.fromJson(
                EventType.BACKUP_COMPLETED,
                Samples.read("/events/tenantplane.backup.completed.v1.pruning.json"));

    assertThat(rehearsed.restoredRows())
        .containsExactly(
            new BackupCompleted.TableRows("public.deals", 12),
            new BackupCompleted.TableRows("public.flyway_schema_history", 4),
            new BackupCompleted.TableRows("public.organizations", 1));
    assertThat(Samples.json(codec, codec.toJson(rehearsed)))
        .isEqualTo(Samples.json(codec, Samples.read(rehearsalSample)));
    assertThat(earlier.restoredRows()).isEmpty();
    assertThat(Samples.json(codec, codec.toJson(earlier)).has("restoredRows")).isFalse();
  }
}
