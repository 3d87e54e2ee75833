package dev.tenantplane.gateway.limits;

import dev.tenantplane.gateway.api.Problem;
import dev.tenantplane.gateway.auth.Role;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Limits each writing (operator or admin) token's writes to the API (429 with Retry-After). Who may
 * write at all is each resource method's declared role; a request this filter lets through may
 * still be refused there.
 */
public class WriteLimitFilter {
  private static final String API = "/api/v1";
  private static final Set<String> READS =
      Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

  private final CurrentIdentityAssociation identities;
  private final WriteRateLimiter limiter;

  public WriteLimitFilter(CurrentIdentityAssociation identities, WriteRateLimiter limiter) {
    this.identities = identities;
    this.limiter = limiter;
  }

  @ServerRequestFilter
  public Uni<Response> limit(ContainerRequestContext request) {
    String path = "/" + request.getUriInfo().getPath().replaceFirst("^/+", "");
    if (!limits(request.getMethod(), path)) {
      return Uni.createFrom().nullItem();
    }
    // Authenticates the request if its role was not checked yet; a failure answers 401.
    return identities
        .getDeferredIdentity()
        .chain(
            identity ->
                identity.isAnonymous() || !identity.hasRole(Role.OPERATOR_NAME)
                    ? Uni.createFrom().nullItem()
                    : limiter
                        .admit(identity.getPrincipal().getName())
                        .map(WriteLimitFilter::answer));
  }

  /**
   * Whether a request of {@code method} to {@code path} counts against its token's writes; the
   * OpenAPI document lists the 429 answer on exactly these operations.
   */
  public static boolean limits(String method, String path) {
    return !READS.contains(method) && (path.equals(API) || path.startsWith(API + "/"));
  }

  private static Response answer(Optional<Long> retryAfter) {
    return retryAfter
        .map(
            seconds ->
                Problem.of(
                        429,
                        "Too Many Requests",
                        "write limit of this token reached; retry in " + seconds + " s")
                    .toResponseBuilder()
                    .header(HttpHeaders.RETRY_AFTER, seconds)
                    .build())
        .orElse(null);
  }
}
