package dev.tenantplane.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * An RFC 9457 problem-details body; its {@code type} names the kind ({@link ProblemTypes}). {@code
 * errors} names every bad field of a rejected request.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type, String title, int status, String detail, List<FieldError> errors) {
  public static final String MEDIA_TYPE = "application/problem+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One bad field and why. */
  public record FieldError(String field, String message) {}

  public static Problem of(Response.Status status, String detail) {
    return of(status.getStatusCode(), status.getReasonPhrase(), detail);
  }

  public static Problem of(int status, String title, String detail) {
    return new Problem(ProblemTypes.of(status), title, status, detail, null);
  }

  /** A rejection that is about one part of the request rather than a body field. */
  public static Problem ofField(int status, String title, String field, String message) {
    return new Problem(
        ProblemTypes.of(status), title, status, message, List.of(new FieldError(field, message)));
  }

  public static Problem invalid(List<FieldError> errors) {
    return new Problem(
        ProblemTypes.of(400),
        "Bad Request",
        400,
        "the request has " + errors.size() + " invalid field(s)",
        List.copyOf(errors));
  }

  public Response.ResponseBuilder toResponseBuilder() {
    return Response.status(status).type(MEDIA_TYPE).entity(toJson());
  }

  /** The body as sent, for answers given outside the REST layer. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a problem", e);
    }
  }

  public Response toResponse() {
    return toResponseBuilder().build();
  }
}
