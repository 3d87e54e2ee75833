package dev.tenantplane.gateway.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error the API answers is a problem-details body. */
public class ProblemMappers {
  private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

  @ServerExceptionMapper
  public Response problem(ProblemException e) {
    Response.ResponseBuilder response = e.problem().toResponseBuilder();
    if (e.retryAfterSeconds() != null) {
      response.header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds());
    }
    return response.build();
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
