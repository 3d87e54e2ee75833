package dev.tenantplane.gateway.backups;

import dev.tenantplane.gateway.backups.BackupViews.Backup;
import dev.tenantplane.gateway.backups.BackupViews.File;
import dev.tenantplane.gateway.backups.BackupViews.Page;
import dev.tenantplane.gateway.backups.BackupViews.Rehearsal;
import dev.tenantplane.gateway.backups.BackupViews.Status;
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
import java.util.Optional;
import java.util.UUID;

/** Reads of the backup records, with the reactive client; blocking. */
@ApplicationScoped
public class BackupQueries {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String COLUMNS =
      "SELECT id, customer_id, status, requested_at, requested_by, completed_at, schema_version,"
          + " database_path, database_bytes, database_sha256, redis_path, redis_bytes,"
          + " redis_sha256, restored_tables, restored_rows, pruned_at, error FROM backup";

  private final Pool pool;

  public BackupQueries(Pool pool) {
    this.pool = pool;
  }

  public Page list(String customerId, int page, int size) {
    List<Backup> items = new ArrayList<>();
    for (Row row :
        run(
            COLUMNS + " WHERE customer_id = $1 ORDER BY requested_at DESC, id LIMIT $2 OFFSET $3",
            Tuple.of(customerId, size, page * size))) {
      items.add(view(row));
    }
    long total =
        run("SELECT count(*) FROM backup WHERE customer_id = $1", Tuple.of(customerId))
            .iterator()
            .next()
            .getLong(0);
    return new Page(items, page, size, total);
  }

  public Optional<Backup> find(String customerId, UUID id) {
    var rows = run(COLUMNS + " WHERE customer_id = $1 AND id = $2", Tuple.of(customerId, id));
    return rows.iterator().hasNext() ? Optional.of(view(rows.iterator().next())) : Optional.empty();
  }

  private static Backup view(Row row) {
    return new Backup(
        row.getUUID("id").toString(),
        row.getString("customer_id"),
        Status.valueOf(row.getString("status")),
        instant(row, "requested_at"),
        row.getString("requested_by"),
        instant(row, "completed_at"),
        row.getString("schema_version"),
        file(row, "database"),
        file(row, "redis"),
        row.getInteger("restored_tables") == null
            ? null
            : new Rehearsal(row.getInteger("restored_tables"), row.getLong("restored_rows")),
        instant(row, "pruned_at"),
        row.getString("error"));
  }

  private static File file(Row row, String prefix) {
    String path = row.getString(prefix + "_path");
    return path == null
        ? null
        : new File(path, row.getLong(prefix + "_bytes"), row.getString(prefix + "_sha256"));
  }

  private RowSet<Row> run(String sql, Tuple params) {
    return pool.preparedQuery(sql).execute(params).await().atMost(WAIT);
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant();
  }
}
