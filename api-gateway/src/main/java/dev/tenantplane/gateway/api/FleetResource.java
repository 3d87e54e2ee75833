package dev.tenantplane.gateway.api;

import dev.tenantplane.gateway.GatewaySettings;
import dev.tenantplane.gateway.auth.Caller;
import dev.tenantplane.gateway.customers.CustomerCommands;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Fleet-wide operations: migrating every active customer's database to the latest schema. */
@Path("/api/v1/fleet/migrations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "fleet")
@SecurityRequirement(name = "bearer")
public class FleetResource {
  static final int MAX_CONCURRENCY = 64;
  private static final Set<String> FIELDS = Set.of("maxConcurrency");

  /** The optional body of a fleet migration request. */
  public record FleetMigration(Integer maxConcurrency) {}

  private final CustomerCommands commands;
  private final GatewaySettings settings;

  public FleetResource(CustomerCommands commands, GatewaySettings settings) {
    this.commands = commands;
    this.settings = settings;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RequestBody(content = @Content(schema = @Schema(implementation = FleetMigration.class)))
  public Response migrate(
      byte[] body,
      @HeaderParam(RequestBodyText.CONTENT_TYPE) String contentType,
      @Context RoutingContext routing) {
    JsonBody json = JsonBody.parse(contentType, body, settings.maxBodyBytes(), FIELDS, true);
    int concurrency = json.integer("maxConcurrency").orElse(settings.fleetDefaultConcurrency());
    if (!json.rejected("maxConcurrency") && (concurrency < 1 || concurrency > MAX_CONCURRENCY)) {
      json.reject("maxConcurrency", "maxConcurrency must be 1 to " + MAX_CONCURRENCY);
    }
    json.requireValid();
    var outcome = commands.fleetMigration(concurrency, Caller.of(routing).tokenName());
    return Response.accepted(Accepted.of(outcome.event(), "FLEET_MIGRATION_REQUESTED")).build();
  }
}
