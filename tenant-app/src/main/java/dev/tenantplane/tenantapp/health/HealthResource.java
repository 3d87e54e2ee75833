package dev.tenantplane.tenantapp.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tenantplane.tenantapp.TenantAppSettings;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;

/** The seed's health endpoint: the contract the health-monitor and operators rely on. */
@Path("/api/health")
public class HealthResource {
  private final TenantAppSettings settings;
  private final Pool database;
  private final ReactiveRedisDataSource redis;

  public HealthResource(TenantAppSettings settings, Pool database, ReactiveRedisDataSource redis) {
    this.settings = settings;
    this.database = database;
    this.redis = redis;
  }

  /**
   * The seed's JSON; {@code uptime} in seconds since the process started; {@code failing} names the
   * components that do not answer (absent when none).
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record HealthReport(
      String status,
      Instant timestamp,
      String customer,
      String environment,
      double uptime,
      List<String> failing) {}

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Uni<Response> health() {
    Uni<Boolean> databaseUp = probe(database.query("SELECT 1").execute().replaceWith(true));
    Uni<Boolean> redisUp = probe(redis.execute("PING").replaceWith(true));
    return Uni.combine()
        .all()
        .unis(databaseUp, redisUp)
        .with(
            (db, cache) -> {
              Health health = Health.of(db, cache);
              double uptime = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
              HealthReport report =
                  new HealthReport(
                      health.status(),
                      Instant.now(),
                      settings.customerId(),
                      settings.environment(),
                      uptime,
                      health.failing());
              return Response.status(health.httpStatus()).entity(report).build();
            });
  }

  private Uni<Boolean> probe(Uni<Boolean> check) {
    return check
        .ifNoItem()
        .after(settings.healthTimeout())
        .fail()
        .onFailure()
        .recoverWithItem(false);
  }
}
