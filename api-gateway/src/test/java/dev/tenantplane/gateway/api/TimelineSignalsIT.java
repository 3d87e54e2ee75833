package dev.tenantplane.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tenantplane.common.testing.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The live streams read the timeline when PostgreSQL says it changed: a new row moves its
 * customer's mark (and only its), and a subscription that was cut comes back by itself and moves
 * every mark once, so each stream reads what it may have missed.
 */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres,redis"))
class TimelineSignalsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject TimelineSignals signals;
  @Inject Pool pool;

  @BeforeEach
  void listening() {
    await("the timeline subscription").atMost(WAIT).until(signals::listening);
  }

  @Test
  void aNewTimelineRowMovesItsCustomersMarkAndNoOtherCustomers() {
    long changed = signals.mark("signals-changed");
    long other = signals.mark("signals-other");
    long fleet = signals.fleetMark();

    insertTimelineRow("signals-changed");

    await("the changed customer's mark")
        .atMost(WAIT)
        .until(() -> signals.mark("signals-changed") > changed);
    assertThat(signals.fleetMark()).isGreaterThan(fleet);
    assertThat(signals.mark("signals-other")).isEqualTo(other);
  }

  @Test
  void aCutSubscriptionComesBackMovesEveryMarkAndSignalsNewRowsAgain() {
    long quiet = signals.mark("signals-quiet");

    Long cut =
        pool.query(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE query ILIKE 'LISTEN%"
                    + TimelineSignals.CHANNEL
                    + "%'")
            .execute()
            .await()
            .atMost(WAIT)
            .iterator()
            .next()
            .getLong(0);
    assertThat(cut).as("listening connections cut").isEqualTo(1L);

    await("every mark moves once the subscription is back")
        .atMost(WAIT)
        .until(() -> signals.listening() && signals.mark("signals-quiet") > quiet);
    long back = signals.mark("signals-after-cut");
    insertTimelineRow("signals-after-cut");
    await("a row after the cut is signalled")
        .atMost(WAIT)
        .until(() -> signals.mark("signals-after-cut") > back);
  }

  private void insertTimelineRow(String customerId) {
    pool.preparedQuery(
            "INSERT INTO timeline (customer_id, event_id, event_type, occurred_at)"
                + " VALUES ($1, $2, 'tenantplane.customer.requested.v1', $3)")
        .execute(Tuple.of(customerId, UUID.randomUUID(), OffsetDateTime.now(ZoneOffset.UTC)))
        .await()
        .atMost(WAIT);
  }
}
