package dev.tenantplane.gateway.deadletters;

import dev.tenantplane.gateway.deadletters.DeadLetterViews.DeadLetter;
import dev.tenantplane.gateway.deadletters.DeadLetterViews.Page;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads of the dead letters, with the reactive client; blocking. */
@ApplicationScoped
public class DeadLetterQueries {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private final Pool pool;

  public DeadLetterQueries(Pool pool) {
    this.pool = pool;
  }

  /** Newest first; only {@code customer}'s when given. */
  public Page list(Optional<String> customer, int page, int size) {
    String where = customer.isPresent() ? " WHERE customer_id = $3" : "";
    Tuple params = Tuple.of(size, page * size);
    customer.ifPresent(params::addString);
    List<DeadLetter> items = new ArrayList<>();
    for (Row row :
        pool.preparedQuery(
                "SELECT id, received_at, customer_id, event_type, event_id, consumer, step, reason,"
                    + " origin, replayed_at, replayed_by, CAST(replay_event_id AS text) AS replay"
                    + " FROM dead_letter"
                    + where
                    + " ORDER BY id DESC LIMIT $1 OFFSET $2")
            .execute(params)
            .await()
            .atMost(WAIT)) {
      items.add(
          new DeadLetter(
              row.getLong("id"),
              instant(row, "received_at"),
              row.getString("customer_id"),
              row.getString("event_type"),
              row.getString("event_id"),
              row.getString("consumer"),
              row.getString("step"),
              row.getString("reason"),
              row.getString("origin"),
              instant(row, "replayed_at"),
              row.getString("replayed_by"),
              row.getString("replay")));
    }
    Tuple countParams = Tuple.tuple();
    customer.ifPresent(countParams::addString);
    long total =
        pool.preparedQuery(
                "SELECT count(*) FROM dead_letter"
                    + (customer.isPresent() ? " WHERE customer_id = $1" : ""))
            .execute(countParams)
            .await()
            .atMost(WAIT)
            .iterator()
            .next()
            .getLong(0);
    return new Page(items, page, size, total);
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant();
  }
}
