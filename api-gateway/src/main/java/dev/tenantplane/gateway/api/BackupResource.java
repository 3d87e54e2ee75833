package dev.tenantplane.gateway.api;

import dev.tenantplane.gateway.GatewaySettings;
import dev.tenantplane.gateway.auth.Caller;
import dev.tenantplane.gateway.auth.Role;
import dev.tenantplane.gateway.backups.BackupCommands;
import dev.tenantplane.gateway.backups.BackupQueries;
import dev.tenantplane.gateway.backups.BackupViews;
import dev.tenantplane.gateway.customers.CustomerCommands.Outcome;
import dev.tenantplane.gateway.customers.CustomerQueries;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
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
 * A customer's backups: asking for one (a READY customer's PostgreSQL and Redis, written and
 * checked by the provisioner), and the record of each with its files, sizes and checksums.
 */
@Path("/api/v1/customers/{id}/backups")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "backups")
@SecurityRequirement(name = "bearer")
public class BackupResource {
  /** The answer to an accepted backup request; {@code backupId} names it from then on. */
  public record BackupAccepted(
      String id, String status, String backupId, String eventId, String correlationId) {}

  private final BackupCommands backupCommands;
  private final CustomerQueries customers;
  private final BackupQueries backups;
  private final GatewaySettings settings;
  private final SecurityIdentity identity;

  public BackupResource(
      BackupCommands backupCommands,
      CustomerQueries customers,
      BackupQueries backups,
      GatewaySettings settings,
      SecurityIdentity identity) {
    this.identity = identity;
    this.backupCommands = backupCommands;
    this.customers = customers;
    this.backups = backups;
    this.settings = settings;
  }

  @RolesAllowed(Role.OPERATOR_NAME)
  @POST
  @Operation(operationId = "requestBackup", summary = "Back up a READY customer")
  @RequestBody(
      required = false,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = RequestBodySchemas.BACKUP)))
  @APIResponse(
      responseCode = "202",
      description = "accepted: the backup is REQUESTED; Location names it",
      content = @Content(schema = @Schema(implementation = BackupAccepted.class)))
  @APIResponse(
      responseCode = "400",
      description = Answers.BAD_CUSTOMER_ID + ", or the body is not {}")
  @APIResponse(responseCode = "409", description = "the customer is not READY")
  public Response request(
      @PathParam("id") String id,
      byte[] body,
      @HeaderParam(RequestBodyText.CONTENT_TYPE) String contentType) {
    PathParams.customerId(id);
    JsonBody.parse(contentType, body, settings.maxBodyBytes(), Set.of(), true).requireValid();
    Outcome outcome = backupCommands.backup(id, Caller.of(identity).tokenName());
    CommandRefusals.requireAccepted(outcome);
    String backupId = outcome.event().meta().correlationId().toString();
    return Response.accepted(
            new BackupAccepted(
                id,
                BackupViews.Status.REQUESTED.name(),
                backupId,
                outcome.event().meta().eventId().toString(),
                backupId))
        .type(MediaType.APPLICATION_JSON)
        .header(HttpHeaders.LOCATION, "/api/v1/customers/" + id + "/backups/" + backupId)
        .build();
  }

  @RolesAllowed({Role.OPERATOR_NAME, Role.VIEWER_NAME})
  @GET
  @Operation(operationId = "listBackups", summary = "A customer's backups, newest first")
  @APIResponse(responseCode = "200", description = Answers.PAGE)
  @APIResponse(responseCode = "400", description = "the id or a query parameter breaks its rule")
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
  public BackupViews.Page list(@PathParam("id") String id, @Context RoutingContext routing) {
    PathParams.customerId(id);
    FieldErrors errors = new FieldErrors();
    int page = RequestParams.page(routing, errors);
    int size = RequestParams.size(routing, errors);
    errors.requireValid();
    requireCustomer(id);
    return backups.list(id, page, size);
  }

  @RolesAllowed({Role.OPERATOR_NAME, Role.VIEWER_NAME})
  @GET
  @Path("/{backupId}")
  @Operation(operationId = "getBackup", summary = "One backup of a customer")
  @APIResponse(responseCode = "200", description = "the backup")
  @APIResponse(responseCode = "400", description = "the id breaks its rule, or backupId is no UUID")
  @APIResponse(
      responseCode = "404",
      description = "no customer has this id, or it has no such backup")
  public BackupViews.Backup get(
      @PathParam("id") String id, @PathParam("backupId") String backupId) {
    PathParams.customerId(id);
    UUID backup = PathParams.backupId(backupId);
    return backups
        .find(id, backup)
        .orElseThrow(
            () ->
                new ProblemException(
                    Problem.of(
                        Response.Status.NOT_FOUND, "customer " + id + " has no backup " + backup)));
  }

  private void requireCustomer(String id) {
    if (customers.status(id).isEmpty()) {
      throw CustomerResource.notFound(id);
    }
  }
}
