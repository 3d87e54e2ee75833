package dev.tenantplane.gateway.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error the API answers is a problem-details body. */
public class ProblemMappers {
  private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

  @ServerExceptionMapper
  public Response problem(ProblemException e) {
    return e.problem().toResponse();
  }

  @ServerExceptionMapper
  public Response webApplication(WebApplicationException e) {
    Response original = e.getResponse();
    int status = original.getStatus();
    Response.StatusType type = original.getStatusInfo();
    String detail =
        status == 415
            ? "Content-Type must be application/json"
            : type.getReasonPhrase().toLowerCase(java.util.Locale.ROOT);
    return Problem.of(status, type.getReasonPhrase(), detail).toResponse();
  }

  @ServerExceptionMapper
  public Response unexpected(RuntimeException e) {
    LOG.errorf(e, "step=api outcome=error reason=\"%s\"", e.getMessage());
    return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "the request could not be completed")
        .toResponse();
  }
}
