package dev.tenantplane.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.naming.CustomerBlock;
import dev.tenantplane.gateway.auth.Caller;
import dev.tenantplane.gateway.auth.Role;
import dev.tenantplane.gateway.customers.CustomerCommands;
import dev.tenantplane.gateway.customers.CustomerCommands.NewCustomer;
import dev.tenantplane.gateway.customers.CustomerCommands.Outcome;
import dev.tenantplane.gateway.customers.CustomerQueries;
import dev.tenantplane.gateway.customers.CustomerViews;
import dev.tenantplane.gateway.limits.IdempotencyStore;
import dev.tenantplane.gateway.limits.IdempotencyStore.Answered;
import dev.tenantplane.gateway.limits.IdempotencyStore.Claim;
import dev.tenantplane.gateway.limits.IdempotencyStore.InProgress;
import dev.tenantplane.gateway.limits.IdempotencyStore.Remembered;
import dev.tenantplane.gateway.limits.IdempotencyStore.Reserved;
import dev.tenantplane.gateway.projection.CustomerStatus;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Customers: request, list, inspect, retry, suspend, resume, deprovision and unarchive. */
@Path("/api/v1/customers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "customers")
@SecurityRequirement(name = "bearer")
@SecurityScheme(
    securitySchemeName = "bearer",
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    description =
        "An API token of role viewer (reads), operator (reads and writes) or admin (everything an"
            + " operator does, and alone creates, lists and revokes tokens).")
public class CustomerResource {
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  private static final Pattern KEY_RULE = Pattern.compile(ParameterRules.IDEMPOTENCY_KEY);
  private static final int IN_PROGRESS_RETRY_AFTER_SECONDS = 1;
  private static final String REQUESTED = CustomerStatus.REQUESTED.name();

  private final CustomerCommands commands;
  private final CustomerQueries queries;
  private final CustomerRequestReader reader;
  private final IdempotencyStore idempotency;
  private final ObjectMapper json;
  private final SecurityIdentity identity;

  public CustomerResource(
      CustomerCommands commands,
      CustomerQueries queries,
      CustomerRequestReader reader,
      IdempotencyStore idempotency,
      ObjectMapper json,
      SecurityIdentity identity) {
    this.identity = identity;
    this.commands = commands;
    this.queries = queries;
    this.reader = reader;
    this.idempotency = idempotency;
    this.json = json;
  }

  @RolesAllowed(Role.OPERATOR_NAME)
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(operationId = "requestCustomer", summary = "Request a new customer")
  @RequestBody(
      required = true,
      content = @Content(schema = @Schema(ref = RequestBodySchemas.CUSTOMER)))
  @Parameter(
      name = IDEMPOTENCY_KEY,
      in = ParameterIn.HEADER,
      description = "1 to 200 visible ASCII characters; the same key and request answer once",
      schema = @Schema(type = SchemaType.STRING, pattern = ParameterRules.IDEMPOTENCY_KEY))
  @APIResponse(
      responseCode = "202",
      description = "accepted: the customer is REQUESTED; Location names it",
      content = @Content(schema = @Schema(implementation = Accepted.class)))
  @APIResponse(
      responseCode = "400",
      description =
          "the body is not one JSON object in UTF-8, a field breaks its rule, the port is held or"
              + " the Idempotency-Key breaks its rule; errors names each")
  @APIResponse(
      responseCode = "409",
      description =
          "a customer with this id exists and is not DEPROVISIONED (a purged id is taken"
              + " again, as the id's next generation), or a request with this Idempotency-Key is"
              + " still in progress (retry after Retry-After)")
  @APIResponse(
      responseCode = "422",
      description = "this Idempotency-Key was used with a different request")
  public Response request(
      byte[] body,
      @HeaderParam(RequestBodyText.CONTENT_TYPE) String contentType,
      @Context RoutingContext routing) {
    Caller caller = Caller.of(identity);
    FieldErrors headerErrors = new FieldErrors();
    String idempotencyKey =
        RequestParams.header(routing, IDEMPOTENCY_KEY, headerErrors).orElse(null);
    if (idempotencyKey != null && !KEY_RULE.matcher(idempotencyKey).matches()) {
      headerErrors.reject(IDEMPOTENCY_KEY, "must be 1 to 200 visible ASCII characters");
    }
    headerErrors.requireValid();
    NewCustomer request = reader.read(contentType, body);
    if (idempotencyKey == null) {
      return answer(commands.request(request, caller.tokenName()), REQUESTED);
    }
    String requestHash = IdempotencyStore.hash(canonical(request));
    Claim claim = idempotency.reserve(caller.tokenName(), idempotencyKey, requestHash);
    if (claim instanceof Answered answered) {
      return replay(answered.answer(), requestHash);
    }
    if (claim instanceof InProgress running) {
      throw inProgress(running, requestHash);
    }
    Reserved reserved = (Reserved) claim;
    boolean remembered = false;
    try {
      Response response = answer(commands.request(request, caller.tokenName()), REQUESTED);
      idempotency.complete(
          caller.tokenName(),
          idempotencyKey,
          reserved,
          new Remembered(
              requestHash,
              response.getStatus(),
              response.getHeaderString(HttpHeaders.LOCATION),
              (String) response.getEntity()));
      remembered = true;
      return response;
    } finally {
      if (!remembered) {
        idempotency.release(caller.tokenName(), idempotencyKey, reserved);
      }
    }
  }

  @RolesAllowed({Role.OPERATOR_NAME, Role.VIEWER_NAME})
  @GET
  @Operation(operationId = "listCustomers", summary = "List customers, oldest first")
  @APIResponse(responseCode = "200", description = Answers.PAGE)
  @APIResponse(responseCode = "400", description = Answers.BAD_QUERY)
  @Parameter(
      name = "status",
      in = ParameterIn.QUERY,
      description = "only customers in it",
      schema = @Schema(implementation = CustomerStatus.class))
  @Parameter(
      name = "q",
      in = ParameterIn.QUERY,
      description =
          "only customers whose id or name contains it, ignoring case (1 to 100 characters)",
      schema =
          @Schema(
              type = SchemaType.STRING,
              minLength = 1,
              maxLength = RequestParams.MAX_SEARCH_LENGTH))
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
  public CustomerViews.Page list(@Context RoutingContext routing) {
    FieldErrors errors = new FieldErrors();
    Optional<String> status = RequestParams.query(routing, "status", errors);
    Optional<CustomerStatus> filter =
        status.flatMap(
            given ->
                Arrays.stream(CustomerStatus.values())
                    .filter(s -> s.name().equals(given))
                    .findFirst());
    if (status.isPresent() && filter.isEmpty()) {
      errors.reject("status", "status must be one of " + Arrays.toString(CustomerStatus.values()));
    }
    Optional<String> search = RequestParams.search(routing, "q", errors);
    int pageNumber = RequestParams.page(routing, errors);
    int pageSize = RequestParams.size(routing, errors);
    errors.requireValid();
    return queries.list(filter, search, pageNumber, pageSize);
  }

  @RolesAllowed({Role.OPERATOR_NAME, Role.VIEWER_NAME})
  @GET
  @Path("/{id}")
  @Operation(operationId = "getCustomer", summary = "A customer's status, health and timeline")
  public CustomerViews.Detail get(@PathParam("id") String id) {
    return queries.find(PathParams.customerId(id)).orElseThrow(() -> notFound(id));
  }

  /**
   * The seed's information block of a customer (ports, names, useful commands; never the password),
   * as its {@code CUSTOMER_MANIFEST.md} holds it and the CLI prints it.
   */
  @RolesAllowed({Role.OPERATOR_NAME, Role.VIEWER_NAME})
  @GET
  @Path("/{id}/manifest")
  @Produces(MediaType.TEXT_PLAIN)
  @Operation(operationId = "getCustomerManifest", summary = "A customer's information block")
  @APIResponse(responseCode = "200", description = "the block, as text")
  @APIResponse(
      responseCode = "409",
      description = "the customer has no stack to describe: no ports yet, or DEPROVISIONED")
  public String manifest(@PathParam("id") String id) {
    CustomerViews.Detail customer = get(id);
    CustomerViews.Ports ports = customer.ports();
    if (ports == null
        || ports.app() == null
        || CustomerStatus.DEPROVISIONED.name().equals(customer.status())) {
      throw new ProblemException(
          Problem.of(
              Response.Status.CONFLICT,
              "customer "
                  + customer.id()
                  + " has no stack to describe ("
                  + customer.status()
                  + ")"));
    }
    return CustomerBlock.render(
        customer.id(),
        customer.name(),
        new PortAssignment(ports.app(), ports.database(), ports.redis()));
  }

  @RolesAllowed(Role.OPERATOR_NAME)
  @POST
  @Path("/{id}/retry")
  @Operation(operationId = "retryCustomer", summary = "Retry a FAILED customer's failed step")
  @APIResponse(
      responseCode = "202",
      description = Answers.ACCEPTED,
      content = @Content(schema = @Schema(implementation = Accepted.class)))
  @APIResponse(responseCode = "409", description = "the customer is not FAILED")
  public Response retry(@PathParam("id") String id) {
    return answer(
        commands.retry(PathParams.customerId(id), Caller.of(identity).tokenName()),
        "RETRY_REQUESTED");
  }

  @RolesAllowed(Role.OPERATOR_NAME)
  @POST
  @Path("/{id}/suspend")
  @Operation(operationId = "suspendCustomer", summary = "Suspend a customer's stack")
  @APIResponse(
      responseCode = "202",
      description = Answers.ACCEPTED,
      content = @Content(schema = @Schema(implementation = Accepted.class)))
  @APIResponse(
      responseCode = "409",
      description = "the customer is not READY, ROUTED, MIGRATED, CONTAINERS_STARTED or FAILED")
  public Response suspend(@PathParam("id") String id) {
    return answer(
        commands.suspend(PathParams.customerId(id), Caller.of(identity).tokenName()),
        "SUSPEND_REQUESTED");
  }

  @RolesAllowed(Role.OPERATOR_NAME)
  @POST
  @Path("/{id}/resume")
  @Operation(operationId = "resumeCustomer", summary = "Resume a SUSPENDED customer")
  @APIResponse(
      responseCode = "202",
      description = Answers.ACCEPTED,
      content = @Content(schema = @Schema(implementation = Accepted.class)))
  @APIResponse(responseCode = "409", description = "the customer is not SUSPENDED")
  public Response resume(@PathParam("id") String id) {
    return answer(
        commands.resume(PathParams.customerId(id), Caller.of(identity).tokenName()),
        "RESUME_REQUESTED");
  }

  @RolesAllowed(Role.OPERATOR_NAME)
  @POST
  @Path("/{id}/unarchive")
  @Operation(
      operationId = "unarchiveCustomer",
      summary = "Bring an ARCHIVED customer back on the data, files and ports it kept")
  @APIResponse(
      responseCode = "202",
      description =
          "accepted: the customer is REQUESTED again, in its next generation, and provisioned"
              + " on what its archiving kept",
      content = @Content(schema = @Schema(implementation = Accepted.class)))
  @APIResponse(responseCode = "409", description = "the customer is not ARCHIVED")
  public Response unarchive(@PathParam("id") String id) {
    return answer(
        commands.unarchive(PathParams.customerId(id), Caller.of(identity).tokenName()), REQUESTED);
  }

  @RolesAllowed(Role.OPERATOR_NAME)
  @DELETE
  @Path("/{id}")
  @Operation(operationId = "deprovisionCustomer", summary = "Deprovision a customer")
  @APIResponse(
      responseCode = "202",
      description =
          "accepted: the customer is DEPROVISIONING; it ends DEPROVISIONED with purge, ARCHIVED"
              + " without",
      content = @Content(schema = @Schema(implementation = Accepted.class)))
  @APIResponse(responseCode = "400", description = "the id or purge breaks its rule")
  @APIResponse(
      responseCode = "409",
      description =
          "the customer is DEPROVISIONING or DEPROVISIONED, or ARCHIVED and purge is not true")
  @Parameter(
      name = "purge",
      in = ParameterIn.QUERY,
      description =
          "true: also drop the data, after a backup (also for an ARCHIVED customer); false: keep"
              + " volumes, backups, files and ports, and end ARCHIVED",
      schema =
          @Schema(
              type = SchemaType.STRING,
              enumeration = {"true", "false"},
              defaultValue = "false"))
  public Response deprovision(@PathParam("id") String id, @Context RoutingContext routing) {
    PathParams.customerId(id);
    FieldErrors errors = new FieldErrors();
    Optional<String> purge = RequestParams.query(routing, "purge", errors);
    if (purge.isPresent() && !purge.get().equals("true") && !purge.get().equals("false")) {
      errors.reject("purge", "purge must be true or false");
    }
    errors.requireValid();
    return answer(
        commands.deprovision(id, purge.orElse("").equals("true"), Caller.of(identity).tokenName()),
        CustomerStatus.DEPROVISIONING.name());
  }

  private Response answer(Outcome outcome, String status) {
    CommandRefusals.requireAccepted(outcome);
    String id = outcome.event().customerId();
    return Response.accepted(write(Accepted.of(outcome.event(), status)))
        .type(MediaType.APPLICATION_JSON)
        .header(HttpHeaders.LOCATION, "/api/v1/customers/" + id)
        .build();
  }

  private Response replay(Remembered earlier, String requestHash) {
    if (!earlier.requestHash().equals(requestHash)) {
      throw keyReused();
    }
    Response.ResponseBuilder response =
        Response.status(earlier.status()).type(MediaType.APPLICATION_JSON).entity(earlier.body());
    if (earlier.location() != null) {
      response.header(HttpHeaders.LOCATION, earlier.location());
    }
    return response.build();
  }

  /** A second request while the first with its key still runs: 409, try again shortly. */
  private static ProblemException inProgress(InProgress running, String requestHash) {
    if (!running.requestHash().equals(requestHash)) {
      return keyReused();
    }
    return new ProblemException(
        Problem.of(
            Response.Status.CONFLICT,
            "a request with this Idempotency-Key is still in progress; retry shortly"),
        IN_PROGRESS_RETRY_AFTER_SECONDS);
  }

  private static ProblemException keyReused() {
    return new ProblemException(
        Problem.of(
            422,
            "Unprocessable Content",
            "this Idempotency-Key was used with a different request"));
  }

  private String write(Object body) {
    try {
      return json.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the answer", e);
    }
  }

  private static String canonical(NewCustomer request) {
    return String.join(
        "\u0000",
        request.id(),
        request.name(),
        request.plan(),
        request.port() == null ? "" : request.port().toString());
  }

  static ProblemException notFound(String id) {
    return new ProblemException(Problem.of(Response.Status.NOT_FOUND, "no customer " + id));
  }
}
