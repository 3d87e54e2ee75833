package dev.tenantplane.gateway.api;

import dev.tenantplane.gateway.limits.WriteLimitFilter;
import java.math.BigDecimal;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem.HttpMethod;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * The problem answers in the OpenAPI document. What an operation refuses by its own checks (400,
 * 404, 409, ...) is declared on its method; this adds what a gateway-wide mechanism answers on
 * every operation it covers (the bearer token's 401, a viewer's 403 on a write, the customer id's
 * check and lookup on a customer's path, the body reader's 413 and 415, the write limit's 429,
 * content negotiation's 406, the error mapper's 500), and gives every error answer its body: {@code
 * application/problem+json}, a {@code Problem} whose {@code type} is the kind's URN ({@link
 * ProblemTypes}).
 */
public class ProblemResponses implements OASFilter {
  private static final String PROBLEM = "Problem";
  private static final String FIELD_ERROR = "FieldError";
  private static final String CUSTOMER = "/api/v1/customers/{id}";

  @Override
  public void filterOpenAPI(OpenAPI openAPI) {
    openAPI.getComponents().addSchema(PROBLEM, problem()).addSchema(FIELD_ERROR, fieldError());
    openAPI
        .getPaths()
        .getPathItems()
        .forEach(
            (path, item) ->
                item.getOperations().forEach((method, operation) -> add(path, method, operation)));
  }

  private static void add(String path, HttpMethod method, Operation operation) {
    APIResponses responses = operation.getResponses();
    // An open operation lists one empty requirement: no token needed.
    boolean secured =
        operation.getSecurity() != null
            && operation.getSecurity().stream().anyMatch(r -> !r.getSchemes().isEmpty());
    boolean limited = WriteLimitFilter.limits(method.name(), path);
    if (secured) {
      addIfAbsent(responses, 401, "no token, or one that is unknown, revoked or expired");
    }
    // Only operators and admins write (DeclaredRolesTest); reads open to viewers declare no 403.
    // The token endpoints, an admin's alone, declare their own.
    if (secured && limited) {
      addIfAbsent(responses, 403, "a viewer's token: only an operator writes");
    }
    // Every operation on one customer checks its id, then looks the customer up.
    if (path.startsWith(CUSTOMER)) {
      addIfAbsent(responses, 400, Answers.BAD_CUSTOMER_ID);
      addIfAbsent(responses, 404, Answers.NO_CUSTOMER);
    }
    if (operation.getRequestBody() != null) {
      addIfAbsent(responses, 413, "a body over the gateway's max-body-bytes");
      addIfAbsent(responses, 415, "a Content-Type other than application/json in UTF-8");
    }
    if (limited) {
      addIfAbsent(responses, 429, "this token's writes for the minute are used; see Retry-After");
      responses
          .getAPIResponse("429")
          .addHeader(
              "Retry-After",
              OASFactory.createHeader()
                  .description("seconds until the token may write again")
                  .schema(OASFactory.createSchema().addType(SchemaType.INTEGER)));
    }
    addIfAbsent(responses, 406, "an Accept header that rules out what the operation answers");
    addIfAbsent(responses, 500, "the request could not be completed");
    responses
        .getAPIResponses()
        .forEach(
            (code, response) -> {
              if (Integer.parseInt(code) >= 400 && response.getContent() == null) {
                response.setContent(problemContent(Integer.parseInt(code)));
              }
            });
  }

  private static void addIfAbsent(APIResponses responses, int status, String description) {
    if (!responses.hasAPIResponse(Integer.toString(status))) {
      responses.addAPIResponse(
          Integer.toString(status), OASFactory.createAPIResponse().description(description));
    }
  }

  /** A problem of this status: its {@code type} and {@code status} are known in advance. */
  private static Content problemContent(int status) {
    Schema kind =
        OASFactory.createSchema()
            .addProperty("type", OASFactory.createSchema().constValue(ProblemTypes.of(status)))
            .addProperty("status", OASFactory.createSchema().constValue(status));
    Schema schema = OASFactory.createSchema().allOf(List.of(ref(PROBLEM), kind));
    return OASFactory.createContent()
        .addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType().schema(schema));
  }

  private static Schema problem() {
    return OASFactory.createSchema()
        .addType(SchemaType.OBJECT)
        .description("An RFC 9457 problem: the body of every error answer.")
        .required(List.of("type", "title", "status", "detail"))
        .addProperty(
            "type",
            string("The kind of problem, one URN per kind, e.g. " + ProblemTypes.of(404) + ".")
                .format("uri")
                .pattern("^" + ProblemTypes.PREFIX + "[a-z0-9-]+$"))
        .addProperty("title", string("The status's reason phrase."))
        .addProperty(
            "status",
            OASFactory.createSchema()
                .addType(SchemaType.INTEGER)
                .minimum(BigDecimal.valueOf(400))
                .maximum(BigDecimal.valueOf(599)))
        .addProperty("detail", string("What went wrong, for people."))
        .addProperty(
            "errors",
            OASFactory.createSchema()
                .addType(SchemaType.ARRAY)
                .description("Each bad part of a rejected request, when the problem is about one.")
                .items(ref(FIELD_ERROR)));
  }

  private static Schema fieldError() {
    return OASFactory.createSchema()
        .addType(SchemaType.OBJECT)
        .required(List.of("field", "message"))
        .addProperty("field", string("The body field, parameter or header."))
        .addProperty("message", string("Why it was refused."));
  }

  private static Schema ref(String name) {
    return OASFactory.createSchema().ref(name);
  }

  private static Schema string(String description) {
    return OASFactory.createSchema().addType(SchemaType.STRING).description(description);
  }
}
