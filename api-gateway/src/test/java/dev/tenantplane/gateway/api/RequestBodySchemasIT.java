package dev.tenantplane.gateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantplane.common.naming.CustomerRequestRules;
import dev.tenantplane.common.testing.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The request bodies' schemas in the served OpenAPI document and the checks the API runs agree:
 * values taken from each field's bounds, enum and pattern, and samples around its rule, are
 * accepted or refused by the code exactly as the schema says; a field is required in the document
 * exactly when leaving it out is refused; no other field is accepted. A customer request is held to
 * common's {@link CustomerRequestRules} (the CLI's rules too) and to the API; the other bodies to
 * the API. A rule changed on one side only fails here.
 */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres,redis"))
class RequestBodySchemasIT {
  /**
   * A field no body has: sent with every probe, so that each is refused and nothing is written,
   * while the answer still names every other field the API refused.
   */
  private static final String ANCHOR = "schemaProbe";

  private static final String CUSTOMERS = "/api/v1/customers";
  private static final String TOKENS = "/api/v1/tokens";
  private static final String FLEET = "/api/v1/fleet/migrations";
  private static final String RESTORES = "/api/v1/customers/schema-probe/restores";
  private static final String BACKUPS = "/api/v1/customers/schema-probe/backups";

  private static final List<String> NAME_SHAPES =
      List.of(
          "Acme Corporation",
          "a",
          "日本語の会社",
          "Ünïcödé GmbH",
          "Acme\u00a0Corp",
          " Acme",
          "Acme ",
          "\u00a0Acme",
          "Acme\u3000",
          "Acme\u2007",
          " ",
          "",
          "Ac\tme",
          "Ac\u0000me",
          "Ac\u200bme",
          "Ac\ufeffme",
          "Ac\u2028me",
          "Ac\u2029me",
          "Ac\ud800me",
          "Ac\ue000me",
          "Ac\u0378me",
          "Acme \ud83d\ude00");

  private static final List<String> TOKEN_NAMES =
      List.of(
          "viewer-1",
          "a",
          "a.b_c-d",
          "9lives",
          "x".repeat(63),
          "x".repeat(64),
          "Upper",
          "-lead",
          ".lead",
          "_lead",
          "with space",
          "é",
          "");

  private static String token;

  @BeforeEach
  void writer() {
    if (token == null) {
      // A token of its own, an admin's as token requests are probed too: the probes count
      // against its writes, not the bootstrap admin's.
      token = Tokens.create("admin").token();
    }
  }

  @Test
  void theCustomerRequestIsCustomerRequestRules() {
    JsonNode schema = ServedDocument.body("POST", CUSTOMERS);
    Map<String, Object> valid = Map.of("id", "schema-probe", "name", "Schema Probe");
    Function<Map<String, Object>, Set<String>> rules =
        body ->
            CustomerRequestRules.check(
                    (String) body.get("id"),
                    (String) body.get("name"),
                    (String) body.get("plan"),
                    (Integer) body.get("port"))
                .stream()
                .map(CustomerRequestRules.Violation::field)
                .collect(Collectors.toSet());
    List<String> disagreements =
        agreement(schema, CustomerRequestReader.FIELDS, valid, customerSamples(schema), rules);
    // The rules take Java strings and integers: the reader before them refuses other JSON types.
    // (Only types: whether a port in range is free depends on the customers other tests made.)
    disagreements.addAll(
        agreement(
            schema,
            CustomerRequestReader.FIELDS,
            valid,
            withWrongTypes(CustomerRequestReader.FIELDS, new HashMap<>()),
            body -> refusedByApi(CUSTOMERS, body)));
    assertThat(disagreements).isEmpty();
  }

  @Test
  void theTokenRequestIsWhatTheApiChecks() {
    JsonNode schema = ServedDocument.body("POST", TOKENS);
    Map<String, List<Object>> samples = samples(schema);
    samples.get("name").addAll(TOKEN_NAMES);
    assertThat(
            agreement(
                schema,
                TokenResource.FIELDS,
                Map.of("name", "schema-probe", "role", "viewer"),
                withWrongTypes(TokenResource.FIELDS, samples),
                body -> refusedByApi(TOKENS, body)))
        .isEmpty();
  }

  @Test
  void theFleetMigrationRequestIsWhatTheApiChecks() {
    JsonNode schema = ServedDocument.body("POST", FLEET);
    assertThat(
            agreement(
                schema,
                FleetResource.FIELDS,
                Map.of(),
                withWrongTypes(FleetResource.FIELDS, samples(schema)),
                body -> refusedByApi(FLEET, body)))
        .isEmpty();
  }

  @Test
  void theRestoreRequestIsWhatTheApiChecks() {
    JsonNode schema = ServedDocument.body("POST", RESTORES.replace("schema-probe", "{id}"));
    Map<String, List<Object>> samples = samples(schema);
    samples
        .get(RestoreResource.BACKUP_ID)
        .addAll(List.of(UUID.randomUUID().toString(), "not-a-uuid", ""));
    samples.get(RestoreResource.TARGET_ID).addAll(ParameterRulesTest.ID_SAMPLES);
    assertThat(
            agreement(
                schema,
                RestoreResource.FIELDS,
                Map.of(RestoreResource.BACKUP_ID, UUID.randomUUID().toString()),
                withWrongTypes(RestoreResource.FIELDS, samples),
                body -> refusedByApi(RESTORES, body)))
        .isEmpty();
  }

  @Test
  void theBackupRequestIsAnEmptyObject() {
    JsonNode schema = ServedDocument.body("POST", BACKUPS.replace("schema-probe", "{id}"));
    assertThat(schema.path("properties").size()).isZero();
    assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
    assertThat(refusedByApi(BACKUPS, Map.of())).isEmpty();
  }

  private static Map<String, List<Object>> customerSamples(JsonNode schema) {
    Map<String, List<Object>> samples = samples(schema);
    samples.get("id").addAll(ParameterRulesTest.ID_SAMPLES);
    samples.get("name").addAll(NAME_SHAPES);
    // The name's length counts characters, not UTF-16 units.
    int longest = schema.at("/properties/name/maxLength").asInt();
    samples.get("name").add("\ud83d\ude00".repeat(longest));
    samples.get("name").add("\ud83d\ude00".repeat(longest + 1));
    return samples;
  }

  /**
   * The samples each field's schema calls for: null, its enum's values and near misses, its length
   * and range bounds and one past each.
   */
  private static Map<String, List<Object>> samples(JsonNode schema) {
    Map<String, List<Object>> samples = new HashMap<>();
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            field -> {
              JsonNode rule = field.getValue();
              List<Object> values = new ArrayList<>();
              values.add(null);
              rule.path("enum")
                  .forEach(
                      v -> {
                        if (v.isTextual()) {
                          values.addAll(
                              List.of(
                                  v.asText(),
                                  v.asText().toUpperCase(Locale.ROOT),
                                  v.asText() + "x"));
                        }
                      });
              for (String bound : List.of("minLength", "maxLength")) {
                if (rule.has(bound)) {
                  int length = rule.path(bound).asInt();
                  values.addAll(List.of("a".repeat(Math.max(0, length - 1)), "a".repeat(length)));
                  values.add("a".repeat(length + 1));
                }
              }
              for (String bound : List.of("minimum", "maximum")) {
                if (rule.has(bound)) {
                  int limit = rule.path(bound).asInt();
                  values.addAll(List.of(limit - 1, limit, limit + 1));
                }
              }
              samples.put(field.getKey(), values);
            });
    return samples;
  }

  /** {@code samples}, with a string, an integer and a boolean for each of {@code fields}. */
  private static Map<String, List<Object>> withWrongTypes(
      Set<String> fields, Map<String, List<Object>> samples) {
    fields.forEach(
        field ->
            samples.computeIfAbsent(field, f -> new ArrayList<>()).addAll(List.of("1", 1, true)));
    return samples;
  }

  /**
   * Where the document and the code disagree: a field that is not the code's, a sample one allows
   * and the other refuses, a field required by one and not the other. Each sample replaces its
   * field in {@code valid}, a body both accept.
   */
  private static List<String> agreement(
      JsonNode schema,
      Set<String> fields,
      Map<String, Object> valid,
      Map<String, List<Object>> samples,
      Function<Map<String, Object>, Set<String>> refused) {
    List<String> disagreements = new ArrayList<>();
    Set<String> properties = new HashSet<>(OpenApiDocumentIT.fieldNames(schema.path("properties")));
    if (!properties.equals(fields) || schema.path("additionalProperties").asBoolean(true)) {
      disagreements.add("fields " + properties + ", the code's " + fields + ", or others allowed");
    }
    if (!refused.apply(valid).isEmpty()) {
      disagreements.add("the code refuses " + valid);
    }
    Set<String> required = new HashSet<>();
    schema.path("required").forEach(r -> required.add(r.asText()));
    for (String field : fields) {
      Map<String, Object> without = new HashMap<>(valid);
      without.remove(field);
      if (required.contains(field) != refused.apply(without).contains(field)) {
        disagreements.add(field + ": required " + required.contains(field) + " in the document");
      }
    }
    samples.forEach(
        (field, values) -> {
          for (Object value : values) {
            Map<String, Object> body = new HashMap<>(valid);
            body.put(field, value);
            boolean allowed = SchemaCheck.allows(schema.path("properties").path(field), value);
            boolean accepted = !refused.apply(body).contains(field);
            if (allowed != accepted) {
              disagreements.add(
                  field + "=" + describe(value) + ": document " + allowed + ", code " + accepted);
            }
          }
        });
    return disagreements;
  }

  /** The fields the API refuses in {@code body}, sent with {@link #ANCHOR} so none is accepted. */
  private Set<String> refusedByApi(String path, Map<String, Object> body) {
    Map<String, Object> sent = new HashMap<>(body);
    sent.put(ANCHOR, true);
    List<String> fields =
        given()
            .auth()
            .oauth2(token)
            .contentType("application/json")
            .body(sent)
            .post(path)
            .then()
            .statusCode(400)
            .extract()
            .jsonPath()
            .getList("errors.field", String.class);
    assertThat(fields).as("a field the API does not know").contains(ANCHOR);
    Set<String> refused = new HashSet<>(fields);
    refused.remove(ANCHOR);
    return refused;
  }

  private static String describe(Object value) {
    if (!(value instanceof String text)) {
      return String.valueOf(value);
    }
    StringBuilder shown = new StringBuilder("\"");
    text.codePoints()
        .limit(12)
        .forEach(
            c ->
                shown.append(
                    c < 0x20 || c > 0x7e ? String.format("U+%04X", c) : Character.toString(c)));
    return shown.append(text.length() > 12 ? "...\" (" + text.length() + ")" : "\"").toString();
  }
}
