package dev.tenantplane.gateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.gateway.projection.CustomerStatus;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAPI document states the rules the API enforces, parameter by parameter. */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres,redis"))
class OpenApiDocumentIT {
  private static JsonNode document;

  record Param(String where, JsonNode node) {
    String name() {
      return node.path("name").asText();
    }

    JsonNode schema() {
      return node.path("schema");
    }
  }

  /** Read on first use: the test's HTTP port is set only once a test runs. */
  @BeforeEach
  void read() throws Exception {
    if (document == null) {
      String json =
          given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
      document = new ObjectMapper().readTree(json);
    }
  }

  private static List<Param> parameters() {
    List<Param> found = new ArrayList<>();
    document
        .path("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fields()
                    .forEachRemaining(
                        operation ->
                            operation
                                .getValue()
                                .path("parameters")
                                .forEach(
                                    p ->
                                        found.add(
                                            new Param(
                                                operation.getKey() + " " + path.getKey(), p)))));
    return found;
  }

  private static List<Param> named(String name) {
    return parameters().stream().filter(p -> p.name().equals(name)).toList();
  }

  @Test
  void everyParameterHasASchema() {
    assertThat(parameters()).hasSizeGreaterThan(15);
    assertThat(parameters())
        .filteredOn(p -> p.schema().isMissingNode())
        .extracting(p -> p.where() + " " + p.name())
        .isEmpty();
  }

  @Test
  void pagingIsDocumentedAsTheApiEnforcesIt() {
    assertThat(named("size"))
        .hasSize(5)
        .allSatisfy(
            p -> {
              assertThat(p.schema().path("minimum").asInt()).isEqualTo(1);
              assertThat(p.schema().path("maximum").asInt()).isEqualTo(RequestParams.MAX_PAGE_SIZE);
            });
    assertThat(named("page"))
        .allSatisfy(p -> assertThat(p.schema().path("minimum").asInt()).isZero());
    // The API refuses what the document rules out, and serves what it allows.
    String token = Tokens.admin();
    int max = RequestParams.MAX_PAGE_SIZE;
    given().auth().oauth2(token).get("/api/v1/customers?size=" + max).then().statusCode(200);
    given().auth().oauth2(token).get("/api/v1/customers?size=" + (max + 1)).then().statusCode(400);
    given().auth().oauth2(token).get("/api/v1/customers?page=-1").then().statusCode(400);
  }

  @Test
  void theStatusFilterListsEveryStatus() {
    JsonNode status = named("status").get(0).schema();
    JsonNode values =
        status.has("$ref")
            ? document.at(
                "/components/schemas/"
                    + status.path("$ref").asText().replace("#/components/schemas/", "")
                    + "/enum")
            : status.path("enum");
    assertThat(StreamSupport.stream(values.spliterator(), false).map(JsonNode::asText))
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(CustomerStatus.values()).map(Enum::name).toList());
  }

  @Test
  void thePatternsAreTheOnesTheApiChecks() {
    Map<String, String> patterns =
        Map.of(
            CustomerResource.IDEMPOTENCY_KEY,
            ParameterRules.IDEMPOTENCY_KEY,
            "actor",
            ParameterRules.TOKEN_NAME);
    patterns.forEach(
        (name, pattern) ->
            assertThat(named(name))
                .isNotEmpty()
                .allSatisfy(
                    p -> assertThat(p.schema().path("pattern").asText()).isEqualTo(pattern)));
    assertThat(named("customer"))
        .hasSize(2)
        .allSatisfy(
            p ->
                assertThat(p.schema().path("pattern").asText())
                    .isEqualTo(ParameterRules.CUSTOMER_ID));
    Predicate<String> key = Pattern.compile(ParameterRules.IDEMPOTENCY_KEY).asMatchPredicate();
    assertThat(key).accepts("retry-1", "~!").rejects("", "with space", "x".repeat(201));
  }

  @Test
  void theDocumentNamesItsServerAndSaysHealthNeedsNoToken() {
    assertThat(document.path("servers").get(0).path("url").asText()).isEqualTo("/");
    JsonNode health = document.at("/paths/~1api~1health/get/security");
    assertThat(health.isArray()).as("security of GET /api/health: %s", health).isTrue();
    assertThat(health).allSatisfy(requirement -> assertThat(requirement.isEmpty()).isTrue());
    assertThat(document.at("/paths/~1api~1v1~1customers/get/security").toString())
        .contains("bearer");
  }
}
