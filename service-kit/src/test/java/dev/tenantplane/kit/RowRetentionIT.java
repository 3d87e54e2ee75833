package dev.tenantplane.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.testing.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Spent control-plane rows go after their retention (the defaults: published outbox rows after 7
 * days, inbox rows after 14), and nothing else does: an unpublished outbox row stays at any age.
 */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres"))
class RowRetentionIT {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @Inject RowRetention retention;
  @Inject Pool pool;

  @Test
  void publishedOutboxRowsAndInboxRowsPastTheirRetentionAreDeletedUnpublishedOnesNever() {
    String customer = "retention-" + UUID.randomUUID().toString().substring(0, 8);
    outboxRow(customer, "tenantplane.test.retention.sent-8-days-ago", 8, 8);
    outboxRow(customer, "tenantplane.test.retention.sent-6-days-ago", 6, 6);
    outboxRow(customer, "tenantplane.test.retention.unsent-30-days-old", 30, null);
    inboxRow(customer, 15);
    UUID recentInbox = inboxRow(customer, 13);
    // More than one batch of old rows, so the pass goes on until none is left.
    for (int i = 0; i <= RowRetention.BATCH; i++) {
      outboxRow(customer, "tenantplane.test.retention.bulk", 9, 9);
    }

    RowRetention.Pruned pruned = retention.prune();

    assertThat(pruned.outbox()).isGreaterThanOrEqualTo(RowRetention.BATCH + 2L);
    assertThat(pruned.inbox()).isGreaterThanOrEqualTo(1);
    assertThat(column("SELECT topic FROM outbox WHERE message_key = $1 ORDER BY id", customer))
        .containsExactly(
            "tenantplane.test.retention.sent-6-days-ago",
            "tenantplane.test.retention.unsent-30-days-old");
    assertThat(column("SELECT CAST(event_id AS text) FROM inbox WHERE customer_id = $1", customer))
        .containsExactly(recentInbox.toString());
  }

  /** {@code topic} names the row; the relay may publish the unsent one there meanwhile. */
  private void outboxRow(String customer, String topic, int daysOld, Integer daysSinceSent) {
    pool.preparedQuery(
            "INSERT INTO outbox (topic, message_key, headers, payload, created_at, sent_at)"
                + " VALUES ($1, $2, '{}', '\\x00', now() - make_interval(days => $3),"
                + " now() - make_interval(days => $4))")
        .execute(Tuple.of(topic, customer, daysOld, daysSinceSent))
        .await()
        .atMost(WAIT);
  }

  private UUID inboxRow(String customer, int daysOld) {
    UUID eventId = UUID.randomUUID();
    pool.preparedQuery(
            "INSERT INTO inbox (consumer, event_id, customer_id, outcome, handled_at)"
                + " VALUES ('kit-test.retention', $1, $2, 'done', now() - make_interval(days => $3))")
        .execute(Tuple.of(eventId, customer, daysOld))
        .await()
        .atMost(WAIT);
    return eventId;
  }

  private List<String> column(String sql, String customer) {
    List<String> values = new ArrayList<>();
    for (Row row : pool.preparedQuery(sql).execute(Tuple.of(customer)).await().atMost(WAIT)) {
      values.add(row.getString(0));
    }
    return values;
  }
}
