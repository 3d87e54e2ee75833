package dev.tenantplane.gateway.api;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Turns a request body into the text of a JSON document, refusing anything but UTF-8 JSON (RFC
 * 8259): a missing Content-Type or one other than {@code application/json} (415), a charset other
 * than utf-8 (415), a body over max-body-bytes (413), bytes that are not UTF-8 or that start with a
 * byte order mark (400 naming {@code body}). Jackson reading raw bytes would guess UTF-16 or UTF-32
 * from them, so the bytes are decoded here, strictly, and the parser only ever sees the text.
 */
final class RequestBodyText {
  static final String CONTENT_TYPE = "Content-Type";
  private static final String JSON_TYPE = "application/json";
  private static final String CHARSET = "charset";
  private static final String UTF_8 = "utf-8";
  private static final char BYTE_ORDER_MARK = '\uFEFF';

  private RequestBodyText() {}

  /**
   * The body as text; empty for an empty body. A request without a body may leave out the
   * Content-Type when {@code emptyAllowed}; every other request must say it sends JSON.
   */
  static String decode(String contentType, byte[] body, int maxBytes, boolean emptyAllowed) {
    boolean empty = body == null || body.length == 0;
    if (contentType == null || contentType.isBlank()) {
      if (empty && emptyAllowed) {
        return "";
      }
      throw unsupported("Content-Type is required and must be application/json");
    }
    requireJsonInUtf8(contentType);
    if (empty) {
      return "";
    }
    if (body.length > maxBytes) {
      throw tooLarge(maxBytes);
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body))
              .toString();
    } catch (CharacterCodingException e) {
      throw unreadable("the body must be valid UTF-8");
    }
    if (text.charAt(0) == BYTE_ORDER_MARK) {
      throw unreadable("the body must be UTF-8 without a byte order mark");
    }
    return text;
  }

  /** The answer to a body over {@code maxBytes}, also given before the body is read. */
  static ProblemException tooLarge(int maxBytes) {
    return new ProblemException(
        Problem.ofField(
            413,
            "Content Too Large",
            JsonBody.BODY,
            "the body must be at most " + maxBytes + " bytes"));
  }

  /** {@code type/subtype; name=value; ...}, compared without regard to case as RFC 9110 says. */
  private static void requireJsonInUtf8(String contentType) {
    String[] parts = contentType.split(";", -1);
    if (!parts[0].strip().toLowerCase(Locale.ROOT).equals(JSON_TYPE)) {
      throw unsupported("Content-Type must be application/json");
    }
    for (int i = 1; i < parts.length; i++) {
      String[] parameter = parts[i].split("=", 2);
      if (!parameter[0].strip().equalsIgnoreCase(CHARSET)) {
        continue;
      }
      String charset = parameter.length == 2 ? unquote(parameter[1].strip()) : "";
      if (!charset.equalsIgnoreCase(UTF_8)) {
        throw unsupported("the body must be UTF-8 JSON: the Content-Type charset must be utf-8");
      }
    }
  }

  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1)
        : value;
  }

  private static ProblemException unsupported(String message) {
    return new ProblemException(
        Problem.ofField(415, "Unsupported Media Type", CONTENT_TYPE, message));
  }

  private static ProblemException unreadable(String message) {
    return new ProblemException(Problem.ofField(400, "Bad Request", JsonBody.BODY, message));
  }
}
