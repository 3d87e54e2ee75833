package dev.tenantplane.gateway.api;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * A JSON object request body, read field by field so that a rejection names every bad field at once
 * (unknown fields and wrong types included) rather than the first one Jackson trips on. A body that
 * cannot be read at all is rejected naming the field {@code body}; {@link RequestBodyText} has
 * decoded it first, so the parser reads text, never bytes whose encoding it would have to guess.
 */
public final class JsonBody extends FieldErrors {
  /** The field a problem names when the body as a whole is unreadable. */
  public static final String BODY = "body";

  // A repeated field or a second JSON value after the object would let two readers of the same
  // bytes see different requests, so both are refused rather than resolved silently.
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private final ObjectNode node;

  private JsonBody(ObjectNode node) {
    this.node = node;
  }

  /**
   * Reads a body of at most {@code maxBytes} sent as {@code contentType} that must be a JSON object
   * in UTF-8 with only {@code allowed} fields; an empty body reads as an empty object when {@code
   * emptyAllowed}.
   */
  public static JsonBody parse(
      String contentType, byte[] body, int maxBytes, Set<String> allowed, boolean emptyAllowed) {
    String text = RequestBodyText.decode(contentType, body, maxBytes, emptyAllowed);
    if (text.isEmpty()) {
      if (emptyAllowed) {
        return new JsonBody(JSON.createObjectNode());
      }
      throw unreadable("a JSON object body is required");
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(text);
    } catch (IOException e) {
      throw unreadable("the body must be one valid JSON object, each field at most once");
    }
    if (tree == null || !tree.isObject()) {
      throw unreadable("the body must be a JSON object");
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

  private static ProblemException unreadable(String message) {
    return new ProblemException(Problem.ofField(400, "Bad Request", BODY, message));
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
