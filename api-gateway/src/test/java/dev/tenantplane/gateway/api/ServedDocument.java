package dev.tenantplane.gateway.api;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The OpenAPI document as the running gateway serves it, read once, for tests to hold to code. */
final class ServedDocument {
  private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");
  private static JsonNode root;

  /** One operation of the document: its method (upper case), path and node. */
  record Operation(String method, String path, JsonNode node) {
    @Override
    public String toString() {
      return method + " " + path;
    }

    JsonNode responses() {
      return node.path("responses");
    }
  }

  private ServedDocument() {}

  /** The document; call it from a test or a {@code @BeforeEach}, once the HTTP port is set. */
  static JsonNode root() {
    if (root == null) {
      String json =
          given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
      try {
        root = new ObjectMapper().readTree(json);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return root;
  }

  static List<Operation> operations() {
    List<Operation> found = new ArrayList<>();
    root()
        .path("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fields()
                    .forEachRemaining(
                        entry -> {
                          if (METHODS.contains(entry.getKey())) {
                            found.add(
                                new Operation(
                                    entry.getKey().toUpperCase(Locale.ROOT),
                                    path.getKey(),
                                    entry.getValue()));
                          }
                        }));
    return found;
  }

  static Operation operation(String method, String path) {
    return operations().stream()
        .filter(o -> o.method().equals(method) && o.path().equals(path))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no operation " + method + " " + path));
  }

  /** {@code schema} itself, or the component it refers to. */
  static JsonNode resolve(JsonNode schema) {
    String ref = schema.path("$ref").asText("");
    if (ref.isEmpty()) {
      return schema;
    }
    return root().at(ref.substring(1));
  }

  /** The JSON schema of the request body of an operation. */
  static JsonNode body(String method, String path) {
    return resolve(
        operation(method, path).node().at("/requestBody/content/application~1json/schema"));
  }
}
