package dev.tenantplane.gateway.api;

import dev.tenantplane.gateway.GatewaySettings;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The gateway's own health in the JSON shape tenant apps answer: unhealthy (503) without its
 * database, degraded without Redis (reads still work, writes do not).
 */
@Path("/api/health")
@PermitAll
// Open: the document says so with an empty security requirement.
@SecurityRequirementsSet
@Tag(name = "health")
public class GatewayHealthResource {
  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);
  private static final Instant STARTED = Instant.now();

  /** The answer, as the seed's health JSON. */
  public record HealthReport(
      String status,
      Instant timestamp,
      String service,
      String environment,
      double uptime,
      Map<String, String> checks) {}

  private final Pool pool;
  private final ReactiveRedisDataSource redis;
  private final GatewaySettings settings;

  public GatewayHealthResource(Pool pool, ReactiveRedisDataSource redis, GatewaySettings settings) {
    this.pool = pool;
    this.redis = redis;
    this.settings = settings;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(operationId = "getHealth", summary = "The gateway's health")
  @APIResponse(
      responseCode = "200",
      description = "healthy, or degraded without Redis (reads work, writes do not)",
      content = @Content(schema = @Schema(implementation = HealthReport.class)))
  @APIResponse(
      responseCode = "503",
      description = "unhealthy: the database does not answer",
      content = @Content(schema = @Schema(implementation = HealthReport.class)))
  public Uni<Response> health() {
    Uni<Boolean> database = check(pool.query("SELECT 1").execute().replaceWith(true));
    Uni<Boolean> cache = check(redis.execute("PING").replaceWith(true));
    return Uni.combine()
        .all()
        .unis(database, cache)
        .asTuple()
        .map(
            up -> {
              boolean dbUp = up.getItem1();
              boolean redisUp = up.getItem2();
              String status = !dbUp ? "unhealthy" : redisUp ? "healthy" : "degraded";
              Instant now = Instant.now();
              HealthReport report =
                  new HealthReport(
                      status,
                      now,
                      "api-gateway",
                      settings.environment(),
                      Duration.between(STARTED, now).toMillis() / 1000.0,
                      Map.of("database", dbUp ? "up" : "down", "redis", redisUp ? "up" : "down"));
              return Response.status(dbUp ? 200 : 503).entity(report).build();
            });
  }

  private static Uni<Boolean> check(Uni<Boolean> probe) {
    return probe.ifNoItem().after(CHECK_TIMEOUT).fail().onFailure().recoverWithItem(false);
  }
}
