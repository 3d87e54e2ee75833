package dev.tenantplane.gateway.api;

import dev.tenantplane.common.naming.CustomerIds;
import dev.tenantplane.gateway.audit.AuditQueries;
import dev.tenantplane.gateway.audit.AuditViews;
import dev.tenantplane.gateway.auth.Role;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The audit trail: every write made through the API, by whom, newest first. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit")
@SecurityRequirement(name = "bearer")
public class AuditResource {
  private static final Pattern ACTION_RULE = Pattern.compile("[a-z][a-z-]{0,62}");

  private final AuditQueries queries;

  public AuditResource(AuditQueries queries) {
    this.queries = queries;
  }

  @RolesAllowed({Role.OPERATOR_NAME, Role.VIEWER_NAME})
  @GET
  @Operation(operationId = "listAuditEntries", summary = "The audit trail, newest first")
  @APIResponse(responseCode = "200", description = Answers.PAGE)
  @APIResponse(responseCode = "400", description = Answers.BAD_QUERY)
  @Parameter(
      name = "actor",
      in = ParameterIn.QUERY,
      description = "the token's name",
      schema = @Schema(type = SchemaType.STRING, pattern = ParameterRules.TOKEN_NAME))
  @Parameter(
      name = "customer",
      in = ParameterIn.QUERY,
      description = "a customer id, or fleet for fleet operations",
      schema =
          @Schema(
              type = SchemaType.STRING,
              pattern = ParameterRules.CUSTOMER_ID,
              minLength = CustomerIds.MIN_LENGTH,
              maxLength = CustomerIds.MAX_LENGTH))
  @Parameter(
      name = "action",
      in = ParameterIn.QUERY,
      description = "e.g. customer-requested, deprovision-requested, token-created",
      schema = @Schema(type = SchemaType.STRING))
  @Parameter(
      name = "since",
      in = ParameterIn.QUERY,
      description = "only entries at or after this ISO-8601 time, e.g. 2026-12-03T08:00:00Z",
      schema = @Schema(type = SchemaType.STRING, format = "date-time"))
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
  public AuditViews.Page list(@Context RoutingContext routing) {
    FieldErrors errors = new FieldErrors();
    Optional<String> actor = RequestParams.query(routing, "actor", errors);
    if (actor.isPresent() && !TokenResource.isTokenName(actor.get())) {
      errors.reject("actor", "actor is the name of a token: " + TokenResource.NAME_RULE);
    }
    Optional<String> customer = RequestParams.customerId(routing, "customer", true, errors);
    Optional<String> action = RequestParams.query(routing, "action", errors);
    if (action.isPresent() && !ACTION_RULE.matcher(action.get()).matches()) {
      errors.reject("action", "action must be 1 to 63 of a-z and '-', starting with a letter");
    }
    Optional<Instant> since =
        RequestParams.query(routing, "since", errors).flatMap(text -> time(text, errors));
    int page = RequestParams.page(routing, errors);
    int size = RequestParams.size(routing, errors);
    errors.requireValid();
    return queries.list(new AuditViews.Filter(actor, customer, action, since), page, size);
  }

  private static Optional<Instant> time(String text, FieldErrors errors) {
    try {
      return Optional.of(OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      errors.reject(
          "since", "since must be an ISO-8601 time with its offset, e.g. 2026-12-03T08:00:00Z");
      return Optional.empty();
    }
  }
}
