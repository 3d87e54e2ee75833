package dev.tenantplane.gateway.api;

import dev.tenantplane.gateway.auth.BearerTokenMechanism;
import dev.tenantplane.gateway.auth.Role;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error the API answers is a problem-details body. */
public class ProblemMappers {
  private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
  private static final List<String> ADMINS = List.of(Role.ADMIN_NAME);

  @ServerExceptionMapper
  public Response problem(ProblemException e) {
    Response.ResponseBuilder response = e.problem().toResponseBuilder();
    if (e.retryAfterSeconds() != null) {
      response.header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds());
    }
    return response.build();
  }

  /** A token that was presented and refused: missing its value, unknown, revoked or expired. */
  @ServerExceptionMapper
  public Response authenticationFailed(AuthenticationFailedException e) {
    return unauthorized(e.getMessage() == null ? BearerTokenMechanism.REQUIRED : e.getMessage());
  }

  /** No token, on a resource that declares roles. */
  @ServerExceptionMapper
  public Response unauthenticated(UnauthorizedException e) {
    return unauthorized(BearerTokenMechanism.REQUIRED);
  }

  /**
   * A token whose role the resource does not declare: on the token endpoints any token but an
   * admin's, elsewhere a viewer's on a write.
   */
  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e, ResourceInfo resource) {
    RolesAllowed declared =
        resource.getResourceMethod() == null
            ? null
            : resource.getResourceMethod().getAnnotation(RolesAllowed.class);
    boolean adminsOnly = declared != null && List.of(declared.value()).equals(ADMINS);
    String detail =
        adminsOnly
            ? "only an admin manages tokens: the request needs an admin token"
            : "this token may only read: the request needs an operator";
    return Problem.of(Response.Status.FORBIDDEN, detail).toResponse();
  }

  private static Response unauthorized(String detail) {
    return Problem.of(Response.Status.UNAUTHORIZED, detail)
        .toResponseBuilder()
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
        .build();
  }

  @ServerExceptionMapper
  public Response webApplication(WebApplicationException e) {
    Response original = e.getResponse();
    int status = original.getStatus();
    Response.StatusType type = original.getStatusInfo();
    if (status == Response.Status.UNSUPPORTED_MEDIA_TYPE.getStatusCode()) {
      return Problem.ofField(
              status,
              type.getReasonPhrase(),
              HttpHeaders.CONTENT_TYPE,
              "Content-Type must be application/json")
          .toResponse();
    }
    return Problem.of(
            status, type.getReasonPhrase(), type.getReasonPhrase().toLowerCase(Locale.ROOT))
        .toResponse();
  }

  @ServerExceptionMapper
  public Response unexpected(RuntimeException e) {
    LOG.errorf(e, "step=api outcome=error reason=\"%s\"", e.getMessage());
    return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "the request could not be completed")
        .toResponse();
  }
}
