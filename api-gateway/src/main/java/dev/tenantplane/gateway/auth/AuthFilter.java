package dev.tenantplane.gateway.auth;

import dev.tenantplane.gateway.api.Problem;
import dev.tenantplane.gateway.limits.WriteRateLimiter;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Guards {@code /api/v1}: a bearer token is required (401), writes need the operator role (403) and
 * are rate limited per token (429 with Retry-After). Health, metrics and the OpenAPI document stay
 * open.
 */
public class AuthFilter {
  private static final String PROTECTED = "/api/v1";
  private static final String BEARER = "Bearer ";
  private static final Set<String> READS =
      Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

  private final ApiTokens tokens;
  private final WriteRateLimiter limiter;

  public AuthFilter(ApiTokens tokens, WriteRateLimiter limiter) {
    this.tokens = tokens;
    this.limiter = limiter;
  }

  @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
  public Uni<Response> authenticate(ContainerRequestContext request, RoutingContext routing) {
    String path = "/" + request.getUriInfo().getPath().replaceFirst("^/+", "");
    if (!path.equals(PROTECTED) && !path.startsWith(PROTECTED + "/")) {
      return Uni.createFrom().nullItem();
    }
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.startsWith(BEARER) || header.length() == BEARER.length()) {
      return Uni.createFrom().item(unauthorized("a bearer token is required"));
    }
    boolean write = !READS.contains(request.getMethod());
    return tokens
        .authenticate(header.substring(BEARER.length()).strip())
        .chain(
            caller -> {
              if (caller.isEmpty()) {
                return Uni.createFrom()
                    .item(unauthorized("the token is unknown, revoked or expired"));
              }
              if (write && caller.get().role() != Role.OPERATOR) {
                return Uni.createFrom()
                    .item(
                        Problem.of(Response.Status.FORBIDDEN, "this token may only read")
                            .toResponse());
              }
              caller.get().attachTo(routing);
              return write ? limit(caller.get()) : Uni.createFrom().nullItem();
            });
  }

  private Uni<Response> limit(Caller caller) {
    return limiter
        .admit(caller.tokenName())
        .map(
            (Optional<Long> retryAfter) ->
                retryAfter
                    .map(
                        seconds ->
                            Problem.of(
                                    429,
                                    "Too Many Requests",
                                    "write limit of this token reached; retry in " + seconds + " s")
                                .toResponseBuilder()
                                .header(HttpHeaders.RETRY_AFTER, seconds)
                                .build())
                    .orElse(null));
  }

  private static Response unauthorized(String detail) {
    return Problem.of(Response.Status.UNAUTHORIZED, detail)
        .toResponseBuilder()
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
        .build();
  }
}
