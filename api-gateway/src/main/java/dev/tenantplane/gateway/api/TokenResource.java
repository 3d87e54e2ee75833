package dev.tenantplane.gateway.api;

import static java.time.temporal.ChronoUnit.SECONDS;

import dev.tenantplane.gateway.GatewaySettings;
import dev.tenantplane.gateway.auth.ApiTokens;
import dev.tenantplane.gateway.auth.Caller;
import dev.tenantplane.gateway.auth.Role;
import dev.tenantplane.gateway.auth.TokenLifetimes;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * API tokens: the admin role alone creates (the token is shown only in this answer, and expires
 * within the configured maximum), lists and revokes them, so a leaked operator token cannot mint
 * another; any token can ask who it is.
 */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tokens")
@SecurityRequirement(name = "bearer")
public class TokenResource {
  private static final Pattern NAME_PATTERN = Pattern.compile(ParameterRules.TOKEN_NAME);

  /** The token-name rule in words, for the answers that refuse a name. */
  static final String NAME_RULE =
      "name must be 1 to 63 of a-z, 0-9, '.', '_', '-', starting with a letter or digit";

  static final Set<String> FIELDS = Set.of("name", "role", "expiresInDays");

  /** Who may call the token endpoints other than {@code /self}; stated in their 403 answers. */
  static final String ADMINS_ONLY = "a token other than an admin's: only an admin manages tokens";

  /** The token a request was made with: its name and role, never its value. */
  public record CurrentToken(String name, String role) {}

  /** The created token; its value is never shown again. */
  public record CreatedToken(String name, String role, Instant expiresAt, String token) {}

  private final ApiTokens tokens;
  private final GatewaySettings settings;
  private final TokenLifetimes lifetimes;
  private final Clock clock;
  private final SecurityIdentity identity;

  public TokenResource(
      ApiTokens tokens,
      GatewaySettings settings,
      TokenLifetimes lifetimes,
      Clock clock,
      SecurityIdentity identity) {
    this.identity = identity;
    this.tokens = tokens;
    this.settings = settings;
    this.lifetimes = lifetimes;
    this.clock = clock;
  }

  @RolesAllowed(Role.ADMIN_NAME)
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(operationId = "createToken", summary = "Create an API token")
  @RequestBody(
      required = true,
      content = @Content(schema = @Schema(ref = RequestBodySchemas.TOKEN)))
  @APIResponse(
      responseCode = "201",
      description = "created: the only answer that shows the token",
      content = @Content(schema = @Schema(implementation = CreatedToken.class)))
  @APIResponse(responseCode = "400", description = Answers.BAD_BODY)
  @APIResponse(responseCode = "403", description = ADMINS_ONLY)
  @APIResponse(responseCode = "409", description = "a token had this name before")
  public Response create(
      byte[] body, @HeaderParam(RequestBodyText.CONTENT_TYPE) String contentType) {
    JsonBody json = JsonBody.parse(contentType, body, settings.maxBodyBytes(), FIELDS, false);
    String name = json.text("name").orElse(null);
    String roleName = json.text("role").orElse(null);
    if (!json.rejected("name") && !isTokenName(name)) {
      json.reject("name", NAME_RULE);
    }
    Role role = roleName == null ? null : Role.ofWireName(roleName).orElse(null);
    if (!json.rejected("role") && role == null) {
      json.reject("role", "role must be admin, operator or viewer");
    }
    int days = json.integer("expiresInDays").orElse(lifetimes.defaultDays());
    if (!json.rejected("expiresInDays") && (days < 1 || days > lifetimes.maxDays())) {
      json.reject(
          "expiresInDays",
          "expiresInDays must be an integer from 1 to "
              + lifetimes.maxDays()
              + " (the gateway's tokens.max-lifetime)");
    }
    json.requireValid();
    Caller caller = Caller.of(identity);
    Instant expiresAt = clock.instant().plus(Duration.ofDays(days)).truncatedTo(SECONDS);
    String token =
        tokens
            .create(name, role, expiresAt, caller.tokenName())
            .orElseThrow(
                () ->
                    new ProblemException(
                        Problem.of(Response.Status.CONFLICT, "a token named " + name + " exists")));
    return Response.status(Response.Status.CREATED)
        .entity(new CreatedToken(name, role.wireName(), expiresAt, token))
        .build();
  }

  /**
   * Every token ever made, newest first, with who made it and when it expires; never a value.
   * Admins only: no other token learns of the others.
   */
  @RolesAllowed(Role.ADMIN_NAME)
  @GET
  @Operation(operationId = "listTokens", summary = "Every token, newest first")
  @APIResponse(responseCode = "200", description = "the tokens, never a value")
  @APIResponse(responseCode = "403", description = ADMINS_ONLY)
  public List<ApiTokens.TokenInfo> list() {
    return tokens.list();
  }

  /** Who the caller is, so a client (the console) shows only what the token may do. */
  @RolesAllowed({Role.OPERATOR_NAME, Role.VIEWER_NAME})
  @GET
  @Path("/self")
  @Operation(operationId = "getCallingToken", summary = "The token making the request")
  public CurrentToken self() {
    Caller caller = Caller.of(identity);
    return new CurrentToken(caller.tokenName(), caller.role().wireName());
  }

  static boolean isTokenName(String name) {
    return name != null && NAME_PATTERN.matcher(name).matches();
  }

  @RolesAllowed(Role.ADMIN_NAME)
  @DELETE
  @Path("/{name}")
  @Operation(operationId = "revokeToken", summary = "Revoke a token")
  @APIResponse(responseCode = "204", description = "revoked: the token stops working at once")
  @APIResponse(responseCode = "403", description = ADMINS_ONLY)
  @APIResponse(
      responseCode = "404",
      description = "no active token has this name, or the name breaks the token-name rule")
  @APIResponse(
      responseCode = "409",
      description = "the last admin token that works: without it no token could be managed")
  public Response revoke(@PathParam("name") String name) {
    Caller caller = Caller.of(identity);
    String tokenName = PathParams.tokenName(name);
    return switch (tokens.revoke(tokenName, caller.tokenName())) {
      case REVOKED -> Response.noContent().build();
      case LAST_ADMIN ->
          throw new ProblemException(
              Problem.of(
                  Response.Status.CONFLICT,
                  tokenName + " is the last admin token that works; make another admin first"));
      case NO_ACTIVE_TOKEN ->
          throw new ProblemException(
              Problem.of(Response.Status.NOT_FOUND, "no active token named " + name));
    };
  }
}
