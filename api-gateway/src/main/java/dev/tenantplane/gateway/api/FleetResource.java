package dev.tenantplane.gateway.api;

import dev.tenantplane.gateway.GatewaySettings;
import dev.tenantplane.gateway.auth.Caller;
import dev.tenantplane.gateway.auth.Role;
import dev.tenantplane.gateway.customers.CustomerCommands;
import dev.tenantplane.gateway.fleet.FleetMigrationQueries;
import dev.tenantplane.gateway.fleet.FleetMigrationViews;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Fleet-wide operations: migrating every active customer's database to the latest schema, and the
 * record of each such run with every customer's outcome.
 */
@Path("/api/v1/fleet/migrations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "fleet")
@SecurityRequirement(name = "bearer")
public class FleetResource {
  static final int MAX_CONCURRENCY = 64;
  static final Set<String> FIELDS = Set.of("maxConcurrency");

  private final CustomerCommands commands;
  private final FleetMigrationQueries queries;
  private final GatewaySettings settings;
  private final SecurityIdentity identity;

  public FleetResource(
      CustomerCommands commands,
      FleetMigrationQueries queries,
      GatewaySettings settings,
      SecurityIdentity identity) {
    this.identity = identity;
    this.commands = commands;
    this.queries = queries;
    this.settings = settings;
  }

  @RolesAllowed({Role.OPERATOR_NAME, Role.VIEWER_NAME})
  @GET
  @Operation(operationId = "listFleetMigrations", summary = "Fleet migrations, newest first")
  @APIResponse(responseCode = "200", description = Answers.PAGE)
  @APIResponse(responseCode = "400", description = Answers.BAD_QUERY)
  @Parameter(
      name = "page",
      in = ParameterIn.QUERY,
      description = ParameterRules.PAGE,
      schema = @Schema(type = SchemaType.INTEGER, minimum = "0", defaultValue = "0"))
  @Parameter(
      name = "size",
      in = ParameterIn.QUERY,
      description = ParameterRules.SIZE,
      schema =
          @Schema(
              type = SchemaType.INTEGER,
              minimum = "1",
              maximum = "" + RequestParams.MAX_PAGE_SIZE,
              defaultValue = "20"))
  public FleetMigrationViews.Page list(@Context RoutingContext routing) {
    FieldErrors errors = new FieldErrors();
    int page = RequestParams.page(routing, errors);
    int size = RequestParams.size(routing, errors);
    errors.requireValid();
    return queries.list(page, size);
  }

  /** One run, with each customer's outcome once the migrator has reported it. */
  @RolesAllowed({Role.OPERATOR_NAME, Role.VIEWER_NAME})
  @GET
  @Path("/{id}")
  @Operation(operationId = "getFleetMigration", summary = "One fleet migration and its outcomes")
  @APIResponse(responseCode = "200", description = "the run, with each customer's outcome")
  @APIResponse(responseCode = "400", description = "the id is not a UUID")
  @APIResponse(responseCode = "404", description = "no fleet migration has this id")
  public FleetMigrationViews.FleetMigration get(@PathParam("id") String id) {
    UUID run = PathParams.fleetMigrationId(id);
    return queries
        .find(run)
        .orElseThrow(
            () ->
                new ProblemException(
                    Problem.of(Response.Status.NOT_FOUND, "no fleet migration " + run)));
  }

  @RolesAllowed(Role.OPERATOR_NAME)
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(operationId = "requestFleetMigration", summary = "Migrate every active customer")
  @RequestBody(
      required = false,
      content = @Content(schema = @Schema(ref = RequestBodySchemas.FLEET_MIGRATION)))
  @APIResponse(
      responseCode = "202",
      description = "accepted: the eventId is the run's id",
      content = @Content(schema = @Schema(implementation = Accepted.class)))
  @APIResponse(responseCode = "400", description = Answers.BAD_BODY)
  public Response migrate(
      byte[] body, @HeaderParam(RequestBodyText.CONTENT_TYPE) String contentType) {
    JsonBody json = JsonBody.parse(contentType, body, settings.maxBodyBytes(), FIELDS, true);
    int concurrency = json.integer("maxConcurrency").orElse(settings.fleetDefaultConcurrency());
    if (!json.rejected("maxConcurrency") && (concurrency < 1 || concurrency > MAX_CONCURRENCY)) {
      json.reject("maxConcurrency", "maxConcurrency must be 1 to " + MAX_CONCURRENCY);
    }
    json.requireValid();
    var outcome = commands.fleetMigration(concurrency, Caller.of(identity).tokenName());
    return Response.accepted(Accepted.of(outcome.event(), "FLEET_MIGRATION_REQUESTED")).build();
  }
}
