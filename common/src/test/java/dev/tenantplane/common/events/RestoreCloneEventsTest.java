package dev.tenantplane.common.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.kafka.EventCodec;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * A restore into another customer (a clone) added {@code sourceCustomerId} to RestoreRequested
 * within v1: the sample without it (read by {@link EventSamplesTest}) is the customer's own backup,
 * and the sample with it reads and writes unchanged.
 */
class RestoreCloneEventsTest {
  private final EventCodec codec = new EventCodec("/tenantplane/test");

  @Test
  void aRestoreWithoutASourceIsOfTheCustomersOwnBackupAndIsWrittenWithoutIt() throws IOException {
    RestoreRequested own =
        (RestoreRequested)
            codec.fromJson(
                EventType.RESTORE_REQUESTED,
                Samples.read("/events/tenantplane.restore.requested.v1.json"));

    assertThat(own.sourceCustomerId()).isNull();
    assertThat(own.backupOwner()).isEqualTo("acme-corp");
    assertThat(own.copiesAnotherCustomer()).isFalse();
    assertThat(Samples.json(codec, codec.toJson(own)).has("sourceCustomerId")).isFalse();
  }

  @Test
  void aCloneIsTheTargetsEventNamingTheSourceWhoseBackupItIs() throws IOException {
    String path = "/events/tenantplane.restore.requested.v1.clone.json";
    RestoreRequested clone =
        (RestoreRequested) codec.fromJson(EventType.RESTORE_REQUESTED, Samples.read(path));

    assertThat(clone.customerId()).isEqualTo("acme-staging");
    assertThat(clone.sourceCustomerId()).isEqualTo("acme-corp");
    assertThat(clone.backupOwner()).isEqualTo("acme-corp");
    assertThat(clone.copiesAnotherCustomer()).isTrue();
    assertThat(Samples.json(codec, codec.toJson(clone)))
        .isEqualTo(Samples.json(codec, Samples.read(path)));
  }
}
