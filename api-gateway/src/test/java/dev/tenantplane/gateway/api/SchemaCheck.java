package dev.tenantplane.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Whether a JSON value keeps a field's schema, for the keywords the gateway's document uses: type,
 * enum, pattern (unanchored, as JSON Schema reads it), minLength and maxLength (in code points),
 * minimum, maximum and the uuid format. Values are as a JSON parser gives them: null, String,
 * Integer or Boolean.
 */
final class SchemaCheck {
  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private SchemaCheck() {}

  static boolean allows(JsonNode schema, Object value) {
    if (!types(schema).contains(typeOf(value))) {
      return false;
    }
    if (schema.has("enum") && !values(schema.path("enum")).contains(value)) {
      return false;
    }
    if (value instanceof String text) {
      int length = text.codePointCount(0, text.length());
      return length >= schema.path("minLength").asInt(0)
          && length <= schema.path("maxLength").asInt(Integer.MAX_VALUE)
          && Pattern.compile(schema.path("pattern").asText("")).matcher(text).find()
          && (!schema.path("format").asText().equals("uuid") || UUID.matcher(text).matches());
    }
    if (value instanceof Integer number) {
      return number >= schema.path("minimum").asLong(Long.MIN_VALUE)
          && number <= schema.path("maximum").asLong(Long.MAX_VALUE);
    }
    return true;
  }

  static List<String> types(JsonNode schema) {
    JsonNode type = schema.path("type");
    List<String> types = new ArrayList<>();
    if (type.isArray()) {
      type.forEach(t -> types.add(t.asText()));
    } else {
      types.add(type.asText());
    }
    return types;
  }

  private static String typeOf(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String) {
      return "string";
    }
    return value instanceof Integer ? "integer" : "boolean";
  }

  private static List<Object> values(JsonNode array) {
    List<Object> values = new ArrayList<>();
    array.forEach(v -> values.add(v.isNull() ? null : v.isInt() ? v.intValue() : v.asText()));
    return values;
  }
}
