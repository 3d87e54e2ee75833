package dev.tenantplane.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ProblemTypesTest {
  private static final List<Integer> ANSWERED =
      List.of(400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 429, 500, 503);

  @Test
  void eachKindOfProblemTheApiAnswersHasItsOwnType() {
    var types = ANSWERED.stream().map(ProblemTypes::of).collect(Collectors.toSet());

    assertThat(types)
        .hasSameSizeAs(ANSWERED)
        .allMatch(t -> t.startsWith("urn:tenantplane:problem:"));
    // None falls back to the status number: every status answered is a named kind.
    assertThat(types).noneMatch(t -> t.contains(":http-"));
  }

  @Test
  void everyWayOfMakingAProblemStampsItsKind() {
    assertThat(Problem.of(Response.Status.NOT_FOUND, "no customer acme-corp").type())
        .isEqualTo("urn:tenantplane:problem:not-found");
    assertThat(Problem.ofField(415, "Unsupported Media Type", "Content-Type", "json only").type())
        .isEqualTo("urn:tenantplane:problem:unsupported-media-type");
    assertThat(Problem.invalid(List.of(new Problem.FieldError("name", "required"))).type())
        .isEqualTo("urn:tenantplane:problem:invalid-request");
    assertThat(Problem.of(418, "I'm a teapot", "no").type())
        .isEqualTo("urn:tenantplane:problem:http-418");
  }
}
