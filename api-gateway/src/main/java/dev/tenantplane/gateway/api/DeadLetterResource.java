package dev.tenantplane.gateway.api;

import dev.tenantplane.common.naming.CustomerIds;
import dev.tenantplane.gateway.auth.Caller;
import dev.tenantplane.gateway.auth.Role;
import dev.tenantplane.gateway.customers.CustomerCommands;
import dev.tenantplane.gateway.customers.CustomerCommands.Outcome;
import dev.tenantplane.gateway.deadletters.DeadLetterQueries;
import dev.tenantplane.gateway.deadletters.DeadLetterViews;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What landed on the dead-letter topic, and a replay of one. */
@Path("/api/v1/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "dead-letters")
@SecurityRequirement(name = "bearer")
public class DeadLetterResource {
  private final DeadLetterQueries queries;
  private final CustomerCommands commands;
  private final SecurityIdentity identity;

  public DeadLetterResource(
      DeadLetterQueries queries, CustomerCommands commands, SecurityIdentity identity) {
    this.identity = identity;
    this.queries = queries;
    this.commands = commands;
  }

  @RolesAllowed({Role.OPERATOR_NAME, Role.VIEWER_NAME})
  @GET
  @Operation(operationId = "listDeadLetters", summary = "Dead letters, newest first")
  @APIResponse(responseCode = "200", description = Answers.PAGE)
  @APIResponse(responseCode = "400", description = Answers.BAD_QUERY)
  @Parameter(
      name = "customer",
      in = ParameterIn.QUERY,
      description = "only this customer's",
      schema =
          @Schema(
              type = SchemaType.STRING,
              pattern = ParameterRules.CUSTOMER_ID,
              minLength = CustomerIds.MIN_LENGTH,
              maxLength = CustomerIds.MAX_LENGTH))
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
  public DeadLetterViews.Page list(@Context RoutingContext routing) {
    FieldErrors errors = new FieldErrors();
    Optional<String> customer = RequestParams.customerId(routing, "customer", false, errors);
    int page = RequestParams.page(routing, errors);
    int size = RequestParams.size(routing, errors);
    errors.requireValid();
    return queries.list(customer, page, size);
  }

  @RolesAllowed(Role.OPERATOR_NAME)
  @POST
  @Path("/{id}/replay")
  @Operation(operationId = "replayDeadLetter", summary = "Emit a dead letter's event again")
  @APIResponse(
      responseCode = "202",
      description = "accepted: the copy's ids; status REPLAYED",
      content = @Content(schema = @Schema(implementation = Accepted.class)))
  @APIResponse(responseCode = "400", description = "the id is not a positive number")
  @APIResponse(responseCode = "404", description = "no dead letter has this id")
  @APIResponse(
      responseCode = "409",
      description =
          "replayed before, a record no consumer could read, or its customer is FAILED (retry"
              + " it) or ARCHIVED or DEPROVISIONED")
  public Response replay(@PathParam("id") String id) {
    long letter = PathParams.deadLetterId(id);
    Outcome outcome = commands.replayDeadLetter(letter, Caller.of(identity).tokenName());
    switch (outcome.result()) {
      case NOT_FOUND:
        throw new ProblemException(Problem.of(Response.Status.NOT_FOUND, outcome.detail()));
      case ACCEPTED:
        return Response.accepted(Accepted.of(outcome.event(), "REPLAYED")).build();
      default:
        throw new ProblemException(Problem.of(Response.Status.CONFLICT, outcome.detail()));
    }
  }
}
