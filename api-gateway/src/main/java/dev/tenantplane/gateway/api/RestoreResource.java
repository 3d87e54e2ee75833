package dev.tenantplane.gateway.api;

import dev.tenantplane.common.naming.CustomerIds;
import dev.tenantplane.gateway.GatewaySettings;
import dev.tenantplane.gateway.auth.Caller;
import dev.tenantplane.gateway.auth.Role;
import dev.tenantplane.gateway.backups.BackupCommands;
import dev.tenantplane.gateway.customers.CustomerCommands.Outcome;
import dev.tenantplane.gateway.projection.CustomerStatus;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Restoring a READY customer from one of its completed backups: the customer is RESTORING while the
 * provisioner puts its data back, then goes through migration, routing and the first healthy probe
 * to READY, as its timeline shows. With a {@code targetId} the backup of the path's customer (the
 * source) is restored into another READY customer instead (a clone, for support or staging): the
 * target is the one RESTORING, the source is only read.
 */
@Path("/api/v1/customers/{id}/restores")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "backups")
@SecurityRequirement(name = "bearer")
public class RestoreResource {
  static final String BACKUP_ID = "backupId";
  static final String TARGET_ID = "targetId";
  static final Set<String> FIELDS = Set.of(BACKUP_ID, TARGET_ID);

  private final BackupCommands commands;
  private final GatewaySettings settings;
  private final SecurityIdentity identity;

  public RestoreResource(
      BackupCommands commands, GatewaySettings settings, SecurityIdentity identity) {
    this.identity = identity;
    this.commands = commands;
    this.settings = settings;
  }

  @RolesAllowed(Role.OPERATOR_NAME)
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "restoreCustomer",
      summary = "Restore a READY customer from a backup, its own or another's")
  @RequestBody(
      required = true,
      content = @Content(schema = @Schema(ref = RequestBodySchemas.RESTORE)))
  @APIResponse(
      responseCode = "202",
      description = "accepted: the customer (the target, when one is given) is RESTORING",
      content = @Content(schema = @Schema(implementation = Accepted.class)))
  @APIResponse(
      responseCode = "400",
      description =
          Answers.BAD_CUSTOMER_ID
              + ", or "
              + Answers.BAD_BODY
              + ", or a targetId no customer can have")
  @APIResponse(
      responseCode = "404",
      description = "no customer has this id or the targetId, or it has no such backup")
  @APIResponse(
      responseCode = "409",
      description =
          "the customer restored into (the target, when one is given) is not READY, the backup"
              + " is not COMPLETED, the source is being or was deprovisioned, or the target's"
              + " plan is smaller than the source's")
  public Response restore(
      @PathParam("id") String id,
      byte[] body,
      @HeaderParam(RequestBodyText.CONTENT_TYPE) String contentType) {
    PathParams.customerId(id);
    JsonBody json = JsonBody.parse(contentType, body, settings.maxBodyBytes(), FIELDS, false);
    UUID backup = null;
    var text = json.text(BACKUP_ID);
    if (text.isEmpty() && !json.rejected(BACKUP_ID)) {
      json.reject(BACKUP_ID, "backupId is required: the id of one of the customer's backups");
    } else if (text.isPresent()) {
      try {
        backup = UUID.fromString(text.get());
      } catch (IllegalArgumentException e) {
        json.reject(
            BACKUP_ID, "a backup's id is the backupId its request was answered with (a UUID)");
      }
    }
    String target = json.text(TARGET_ID).orElse(id);
    CustomerIds.problem(target)
        .ifPresent(
            problem -> json.reject(TARGET_ID, "no customer can have this targetId: " + problem));
    json.requireValid();
    String actor = Caller.of(identity).tokenName();
    Outcome outcome =
        target.equals(id)
            ? commands.restore(id, backup, actor)
            : commands.restoreInto(target, id, backup, actor);
    CommandRefusals.requireAccepted(outcome);
    return Response.accepted(Accepted.of(outcome.event(), CustomerStatus.RESTORING.name()))
        .type(MediaType.APPLICATION_JSON)
        .header(HttpHeaders.LOCATION, "/api/v1/customers/" + target)
        .build();
  }
}
