package dev.tenantplane.tenantapp.db;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.function.Function;

/**
 * Runs work in a transaction acting for one organization. The setting is transaction-local, so a
 * pooled connection never carries one organization's context into another's request; PostgreSQL's
 * Row-Level Security policies read it, so the app's code cannot widen what a request sees.
 */
@ApplicationScoped
public class OrgTransactions {
  private final Pool pool;

  public OrgTransactions(Pool pool) {
    this.pool = pool;
  }

  public <T> Uni<T> inOrganization(UUID organizationId, Function<SqlConnection, Uni<T>> work) {
    return pool.withTransaction(
        connection ->
            connection
                .preparedQuery("SELECT set_config('app.current_org', $1, true)")
                .execute(Tuple.of(organizationId.toString()))
                .chain(() -> work.apply(connection)));
  }
}
