package dev.tenantplane.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * A JSON object request body, read field by field so that a rejection names every bad field at once
 * (unknown fields and wrong types included) rather than the first one Jackson trips on.
 */
public final class JsonBody extends FieldErrors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectNode node;

  private JsonBody(ObjectNode node) {
    this.node = node;
  }

  /**
   * Reads a body of at most {@code maxBytes} that must be a JSON object with only {@code allowed}
   * fields; an empty body reads as an empty object when {@code emptyAllowed}.
   */
  public static JsonBody parse(
      byte[] body, int maxBytes, Set<String> allowed, boolean emptyAllowed) {
    if (body != null && body.length > maxBytes) {
      throw new ProblemException(
          Problem.of(413, "Content Too Large", "the body must be at most " + maxBytes + " bytes"));
    }
    if (body == null || body.length == 0) {
      if (emptyAllowed) {
        return new JsonBody(JSON.createObjectNode());
      }
      throw new ProblemException(Problem.of(400, "Bad Request", "a JSON object body is required"));
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(body);
    } catch (IOException e) {
      throw new ProblemException(Problem.of(400, "Bad Request", "the body is not valid JSON"));
    }
    if (tree == null || !tree.isObject()) {
      throw new ProblemException(Problem.of(400, "Bad Request", "the body must be a JSON object"));
    }
    JsonBody reader = new JsonBody((ObjectNode) tree);
    for (Iterator<String> names = tree.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        reader.reject(name, "unknown field");
      }
    }
    return reader;
  }

  /** The string value of {@code field}; empty when absent or null, rejected when not a string. */
  public Optional<String> text(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      reject(field, "must be a string");
      return Optional.empty();
    }
    return Optional.of(value.textValue());
  }

  /** The integer value of {@code field}; empty when absent or null, rejected when not an int. */
  public Optional<Integer> integer(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      reject(field, "must be an integer");
      return Optional.empty();
    }
    return Optional.of(value.intValue());
  }
}
