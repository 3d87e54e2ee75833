package dev.tenantplane.gateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.gateway.projection.CustomerStatus;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document states the rules the API enforces, parameter by parameter, and every answer
 * an operation can give, each error as a problem of its kind. The request bodies' rules are held to
 * the code by {@link RequestBodySchemasIT}.
 */
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
  void read() {
    document = ServedDocument.root();
  }

  private static List<Param> parameters() {
    List<Param> found = new ArrayList<>();
    for (ServedDocument.Operation operation : ServedDocument.operations()) {
      operation
          .node()
          .path("parameters")
          .forEach(p -> found.add(new Param(operation.toString(), p)));
    }
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

  @Test
  void everyOperationHasAUniqueCamelCaseId() {
    List<String> ids =
        ServedDocument.operations().stream()
            .map(o -> o.node().path("operationId").asText(""))
            .toList();
    assertThat(ids)
        .hasSizeGreaterThan(20)
        .allSatisfy(id -> assertThat(id).matches("[a-z][a-zA-Z]+"))
        .doesNotHaveDuplicates();
  }

  @Test
  void everyTagIsDescribed() {
    Map<String, String> described = new HashMap<>();
    document
        .path("tags")
        .forEach(tag -> described.put(tag.path("name").asText(), tag.path("description").asText()));
    ServedDocument.operations()
        .forEach(
            operation ->
                operation
                    .node()
                    .path("tags")
                    .forEach(
                        tag ->
                            assertThat(described.get(tag.asText()))
                                .as("description of tag %s", tag.asText())
                                .isNotBlank()));
  }

  /** Each error answer is a problem whose type and status the document states in advance. */
  @Test
  void everyErrorAnswerIsAProblemOfItsKind() {
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (ServedDocument.Operation operation : ServedDocument.operations()) {
      for (Iterator<Map.Entry<String, JsonNode>> answers = operation.responses().fields();
          answers.hasNext(); ) {
        Map.Entry<String, JsonNode> answer = answers.next();
        int status = Integer.parseInt(answer.getKey());
        if (status < 400 || operation.toString().equals("GET /api/health") && status == 503) {
          continue;
        }
        checked++;
        JsonNode content = answer.getValue().path("content");
        JsonNode allOf = content.path(Problem.MEDIA_TYPE).path("schema").path("allOf");
        String type = allOf.at("/1/properties/type/const").asText();
        if (content.size() != 1
            || !allOf.at("/0/$ref").asText().equals("#/components/schemas/Problem")
            || !type.equals(ProblemTypes.of(status))
            || type.contains(":http-")
            || allOf.at("/1/properties/status/const").asInt() != status) {
          wrong.add(operation + " " + status + ": " + content);
        }
      }
    }
    assertThat(checked).isGreaterThan(150);
    assertThat(wrong).isEmpty();
  }

  @Test
  void theProblemSchemaIsTheProblemRecord() {
    JsonNode schemas = document.path("components").path("schemas");
    assertThat(fieldNames(schemas.at("/Problem/properties")))
        .containsExactlyInAnyOrderElementsOf(components(Problem.class));
    assertThat(fieldNames(schemas.at("/FieldError/properties")))
        .containsExactlyInAnyOrderElementsOf(components(Problem.FieldError.class));
    assertThat(ProblemTypes.of(404))
        .matches(schemas.at("/Problem/properties/type/pattern").asText());
  }

  /**
   * An operation lists what its own code refuses and what the gateway's mechanisms answer for it:
   * the token (401), a viewer writing (403), the body reader (413, 415), the write limit (429),
   * content negotiation (406) and the error mapper (500).
   */
  @Test
  void anOperationListsEveryAnswerItCanGive() {
    assertThat(statuses("POST", "/api/v1/customers"))
        .containsExactlyInAnyOrder(
            "202", "400", "401", "403", "406", "409", "413", "415", "422", "429", "500");
    assertThat(statuses("GET", "/api/v1/customers/{id}"))
        .containsExactlyInAnyOrder("200", "400", "401", "404", "406", "500");
    assertThat(statuses("GET", "/api/v1/tokens"))
        .containsExactlyInAnyOrder("200", "401", "403", "406", "500");
    assertThat(statuses("DELETE", "/api/v1/tokens/{name}"))
        .containsExactlyInAnyOrder("204", "401", "403", "404", "406", "409", "429", "500");
    // Open, and unhealthy is a health report like healthy, not a problem.
    assertThat(statuses("GET", "/api/health"))
        .containsExactlyInAnyOrder("200", "406", "500", "503");
    assertThat(
            ServedDocument.operation("GET", "/api/health")
                .responses()
                .at("/503/content/application~1json/schema/$ref")
                .asText())
        .isEqualTo("#/components/schemas/HealthReport");
  }

  @Test
  void anAcceptHeaderThatRulesOutTheAnswerIsA406Problem() {
    given()
        .accept("text/html")
        .get("/api/health")
        .then()
        .statusCode(406)
        .contentType(Problem.MEDIA_TYPE)
        .body("type", equalTo(ProblemTypes.of(406)));
    given()
        .auth()
        .oauth2(Tokens.admin())
        .accept("text/html")
        .get("/api/v1/customers")
        .then()
        .statusCode(406)
        .contentType(Problem.MEDIA_TYPE);
  }

  private static List<String> statuses(String method, String path) {
    return fieldNames(ServedDocument.operation(method, path).responses());
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> components(Class<?> record) {
    return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).toList();
  }
}
