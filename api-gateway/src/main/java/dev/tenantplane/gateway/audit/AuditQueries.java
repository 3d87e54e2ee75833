package dev.tenantplane.gateway.audit;

import dev.tenantplane.gateway.audit.AuditViews.Entry;
import dev.tenantplane.gateway.audit.AuditViews.Filter;
import dev.tenantplane.gateway.audit.AuditViews.Page;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Reads of the audit trail, with the reactive client (no transaction needed); blocking. */
@ApplicationScoped
public class AuditQueries {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private final Pool pool;

  public AuditQueries(Pool pool) {
    this.pool = pool;
  }

  public Page list(Filter filter, int page, int size) {
    List<String> conditions = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    filter.actor().ifPresent(actor -> condition(conditions, values, "actor =", actor));
    filter.customerId().ifPresent(id -> condition(conditions, values, "customer_id =", id));
    filter.action().ifPresent(action -> condition(conditions, values, "action =", action));
    filter
        .since()
        .ifPresent(since -> condition(conditions, values, "at >=", since.atOffset(ZoneOffset.UTC)));
    String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    long total =
        pool.preparedQuery("SELECT count(*) FROM audit" + where)
            .execute(Tuple.from(values))
            .await()
            .atMost(WAIT)
            .iterator()
            .next()
            .getLong(0);
    int limit = values.size() + 1;
    values.add(size);
    values.add(page * size);
    List<Entry> items = new ArrayList<>();
    for (Row row :
        pool.preparedQuery(
                "SELECT id, at, actor, action, customer_id, CAST(event_id AS text) AS event_id,"
                    + " detail FROM audit"
                    + where
                    + " ORDER BY at DESC, id DESC LIMIT $"
                    + limit
                    + " OFFSET $"
                    + (limit + 1))
            .execute(Tuple.from(values))
            .await()
            .atMost(WAIT)) {
      items.add(
          new Entry(
              row.getLong("id"),
              row.getOffsetDateTime("at").toInstant(),
              row.getString("actor"),
              row.getString("action"),
              row.getString("customer_id"),
              row.getString("event_id"),
              row.getString("detail")));
    }
    return new Page(items, page, size, total);
  }

  /** {@code test} (a column and operator of this class's own, never input) on a bound value. */
  private static void condition(
      List<String> conditions, List<Object> values, String test, Object value) {
    values.add(value);
    conditions.add(test + " $" + values.size());
  }
}
