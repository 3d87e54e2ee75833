package dev.tenantplane.gateway;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Native SQL in the current Hibernate Reactive session, so that writes share the transaction of the
 * outbox and inbox rows. Values are always bound parameters; times and ids are passed as text and
 * cast in the SQL, which keeps null values typed.
 */
public final class Sql {
  private final String statement;
  private final Map<String, Object> params = new LinkedHashMap<>();

  private Sql(String statement) {
    this.statement = statement;
  }

  public static Sql of(String statement) {
    return new Sql(statement);
  }

  public Sql bind(String name, Object value) {
    params.put(name, value);
    return this;
  }

  public Uni<Integer> update() {
    return Panache.getSession()
        .chain(
            session -> {
              var query = session.createNativeQuery(statement);
              params.forEach(query::setParameter);
              return query.executeUpdate();
            });
  }

  public Uni<List<Object[]>> rows() {
    return Panache.getSession()
        .chain(
            session -> {
              var query = session.createNativeQuery(statement, Object[].class);
              params.forEach(query::setParameter);
              return query.getResultList();
            });
  }

  /** A time as the reactive PostgreSQL client binds {@code timestamptz}. */
  public static OffsetDateTime utc(Instant time) {
    return time.atOffset(ZoneOffset.UTC);
  }

  /** Runs reactive work from a worker thread and waits for it. */
  public static <T> T await(Supplier<Uni<T>> work) {
    try {
      return VertxContextSupport.subscribeAndAwait(work);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }
}
