package dev.tenantplane.gateway.customers;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Every customer's timeline as one sequence, for the fleet-wide live stream.
 *
 * <p>Rows are read only once they are a second old. {@code seq} is taken when a row is inserted but
 * the row is seen when its transaction commits, so a reader following {@code seq} could pass a row
 * whose transaction commits just after a later one; the projection's transactions last far less
 * than the second the reader waits.
 */
@ApplicationScoped
public class FleetTimeline {
  /** One lifecycle event of some customer, as the fleet stream sends it. */
  public record FleetEvent(
      long seq,
      String customerId,
      String eventId,
      String type,
      String step,
      Instant occurredAt,
      Integer attempt,
      Boolean retryable,
      String reason) {}

  /** How old a row must be before it is sent. */
  public static final Duration SETTLE = Duration.ofSeconds(1);

  private final Pool pool;

  public FleetTimeline(Pool pool) {
    this.pool = pool;
  }

  /** Up to {@code limit} settled events after {@code afterSeq}, in order. */
  public Uni<List<FleetEvent>> after(long afterSeq, int limit) {
    return pool.preparedQuery(
            "SELECT seq, customer_id, event_id, event_type, step, occurred_at, attempt, retryable,"
                + " reason FROM timeline WHERE seq > $1"
                + " AND recorded_at < now() - $3 * interval '1 millisecond' ORDER BY seq LIMIT $2")
        .execute(Tuple.of(afterSeq, limit, SETTLE.toMillis()))
        .map(
            rows -> {
              List<FleetEvent> events = new ArrayList<>();
              for (Row row : rows) {
                OffsetDateTime occurred = row.getOffsetDateTime("occurred_at");
                events.add(
                    new FleetEvent(
                        row.getLong("seq"),
                        row.getString("customer_id"),
                        row.getUUID("event_id").toString(),
                        row.getString("event_type"),
                        row.getString("step"),
                        occurred.toInstant(),
                        row.getInteger("attempt"),
                        row.getBoolean("retryable"),
                        row.getString("reason")));
              }
              return events;
            });
  }

  /** The position of the newest event, so a stream without a resume point starts from now. */
  public Uni<Long> newestSeq() {
    return pool.query("SELECT coalesce(max(seq), 0) FROM timeline")
        .execute()
        .map(rows -> rows.iterator().next().getLong(0));
  }
}
