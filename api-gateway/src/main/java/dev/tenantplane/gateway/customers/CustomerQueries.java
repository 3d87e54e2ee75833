package dev.tenantplane.gateway.customers;

import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.gateway.customers.CustomerViews.Archive;
import dev.tenantplane.gateway.customers.CustomerViews.Detail;
import dev.tenantplane.gateway.customers.CustomerViews.HealthView;
import dev.tenantplane.gateway.customers.CustomerViews.LastError;
import dev.tenantplane.gateway.customers.CustomerViews.Names;
import dev.tenantplane.gateway.customers.CustomerViews.Page;
import dev.tenantplane.gateway.customers.CustomerViews.Ports;
import dev.tenantplane.gateway.customers.CustomerViews.Summary;
import dev.tenantplane.gateway.customers.CustomerViews.TimelineEntry;
import dev.tenantplane.gateway.customers.CustomerViews.Volume;
import dev.tenantplane.gateway.projection.CustomerStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads of the projection, with the reactive client (no transaction needed). */
@ApplicationScoped
public class CustomerQueries {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private final Pool pool;
  private final CurrentHealthReadings currentHealth;

  public CustomerQueries(Pool pool, CurrentHealthReadings currentHealth) {
    this.pool = pool;
    this.currentHealth = currentHealth;
  }

  /** The customer other than a deprovisioned one that holds {@code appPort}; blocking. */
  public Optional<String> portHolder(int appPort) {
    return first(
            "SELECT id FROM customer WHERE status <> 'DEPROVISIONED' AND (app_port = $1"
                + " OR (app_port IS NULL AND requested_port = $1)) LIMIT 1",
            Tuple.of(appPort))
        .map(row -> row.getString("id"));
  }

  public Optional<CustomerStatus> status(String id) {
    return first("SELECT status FROM customer WHERE id = $1", Tuple.of(id))
        .map(row -> CustomerStatus.valueOf(row.getString("status")));
  }

  /**
   * One page of customers, oldest first: only those in {@code status} when given, and only those
   * whose id or name contains {@code search} (ignoring case) when given. Blocking.
   */
  public Page list(Optional<CustomerStatus> status, Optional<String> search, int page, int size) {
    List<String> conditions = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    status.ifPresent(
        s -> {
          values.add(s.name());
          conditions.add("status = $" + values.size());
        });
    search.ifPresent(
        text -> {
          values.add(containing(text));
          int n = values.size();
          conditions.add(
              "(lower(id) LIKE $" + n + " ESCAPE '\\' OR lower(name) LIKE $" + n + " ESCAPE '\\')");
        });
    String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    // Matches first (trigram indexes): a generic plan would walk customer_oldest_first instead.
    String from =
        search.isPresent()
            ? "WITH matching AS MATERIALIZED (SELECT * FROM customer"
                + where
                + ") SELECT * FROM matching"
            : "SELECT * FROM customer" + where;
    List<Object> pageValues = new ArrayList<>(values);
    pageValues.add(size);
    pageValues.add(page * size);
    List<Summary> items = new ArrayList<>();
    for (Row row :
        run(
            from
                + " ORDER BY created_at, id LIMIT $"
                + (values.size() + 1)
                + " OFFSET $"
                + (values.size() + 2),
            Tuple.from(pageValues))) {
      items.add(
          new Summary(
              row.getString("id"),
              row.getString("name"),
              row.getString("plan"),
              row.getString("status"),
              ports(row),
              health(row),
              lastError(row),
              archive(row),
              instant(row, "created_at"),
              instant(row, "updated_at")));
    }
    long total =
        run("SELECT count(*) AS total FROM customer" + where, Tuple.from(values))
            .iterator()
            .next()
            .getLong("total");
    return new Page(items, page, size, total);
  }

  /**
   * The LIKE pattern (escape character {@code \}) of the values that contain {@code text} ignoring
   * case: lower-cased, with {@code \}, {@code %} and {@code _} matching themselves.
   */
  static String containing(String text) {
    StringBuilder pattern = new StringBuilder("%");
    for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
      if (c == '\\' || c == '%' || c == '_') {
        pattern.append('\\');
      }
      pattern.append(c);
    }
    return pattern.append('%').toString();
  }

  /** Blocking. */
  public Optional<Detail> find(String id) {
    return first("SELECT * FROM customer WHERE id = $1", Tuple.of(id))
        .map(
            row ->
                detail(
                    row,
                    timeline(id, 0).await().atMost(WAIT),
                    currentHealth.latest(id).orElse(null)));
  }

  /** Timeline rows of a customer after {@code afterSeq}, in order, with step durations. */
  public Uni<List<TimelineEntry>> timeline(String id, long afterSeq) {
    return pool.preparedQuery(
            "SELECT seq, generation, event_id, event_type, step, occurred_at, attempt, retryable,"
                + " reason, lag(occurred_at) OVER (PARTITION BY generation"
                + " ORDER BY occurred_at, seq) AS previous"
                + " FROM timeline WHERE customer_id = $1 ORDER BY seq")
        .execute(Tuple.of(id))
        .map(
            rows -> {
              List<TimelineEntry> entries = new ArrayList<>();
              for (Row row : rows) {
                long seq = row.getLong("seq");
                if (seq <= afterSeq) {
                  continue;
                }
                Instant ended = instant(row, "occurred_at");
                Instant previous = instant(row, "previous");
                Instant started = previous == null ? ended : previous;
                entries.add(
                    new TimelineEntry(
                        seq,
                        row.getInteger("generation"),
                        row.getUUID("event_id").toString(),
                        row.getString("event_type"),
                        row.getString("step"),
                        started,
                        ended,
                        Duration.between(started, ended).toMillis(),
                        row.getInteger("attempt"),
                        row.getBoolean("retryable"),
                        row.getString("reason")));
              }
              return entries;
            });
  }

  /** The current status, reactively (for the live stream). */
  public Uni<Optional<CustomerStatus>> statusNow(String id) {
    return pool.preparedQuery("SELECT status FROM customer WHERE id = $1")
        .execute(Tuple.of(id))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(CustomerStatus.valueOf(rows.iterator().next().getString(0))));
  }

  private static Detail detail(
      Row row, List<TimelineEntry> timeline, CurrentHealthReadings.Current current) {
    String id = row.getString("id");
    TenantNames names = new TenantNames(id);
    return new Detail(
        id,
        row.getString("name"),
        row.getString("plan"),
        row.getString("status"),
        row.getInteger("generation"),
        row.getString("failed_step"),
        row.getInteger("requested_port"),
        ports(row),
        new Names(
            names.containers(),
            names.network(),
            names.database(),
            names.ownerRole(),
            names.appRole()),
        health(row),
        current == null ? null : current.components(),
        current == null ? null : current.queue(),
        lastError(row),
        timeline,
        archive(row),
        instant(row, "created_at"),
        instant(row, "updated_at"));
  }

  private static Ports ports(Row row) {
    return row.getInteger("app_port") == null
        ? null
        : new Ports(
            row.getInteger("app_port"),
            row.getInteger("database_port"),
            row.getInteger("redis_port"));
  }

  private static Archive archive(Row row) {
    JsonArray array = row.getJsonArray("archived_volumes");
    if (array == null) {
      return null;
    }
    List<Volume> list = new ArrayList<>();
    long total = 0;
    for (int i = 0; i < array.size(); i++) {
      JsonObject volume = array.getJsonObject(i);
      long bytes = volume.getLong("bytes");
      list.add(new Volume(volume.getString("name"), bytes));
      total += Math.max(bytes, 0);
    }
    return new Archive(row.getString("archive_backup_file"), list, total);
  }

  private static HealthView health(Row row) {
    return row.getString("health") == null
        ? null
        : new HealthView(
            row.getString("health"),
            row.getString("health_component"),
            row.getString("health_error"),
            instant(row, "health_time"));
  }

  private static LastError lastError(Row row) {
    return row.getString("last_error_step") == null
        ? null
        : new LastError(
            row.getString("last_error_step"),
            row.getString("last_error_reason"),
            row.getInteger("last_error_attempt"),
            instant(row, "last_error_time"));
  }

  private Optional<Row> first(String sql, Tuple params) {
    var it = run(sql, params).iterator();
    return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
  }

  private RowSet<Row> run(String sql, Tuple params) {
    return pool.preparedQuery(sql).execute(params).await().atMost(WAIT);
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant();
  }
}
