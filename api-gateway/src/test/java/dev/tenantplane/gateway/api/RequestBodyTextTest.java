package dev.tenantplane.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestBodyTextTest {
  private static final byte[] JSON = "{\"name\":\"Caf\u00e9\"}".getBytes(StandardCharsets.UTF_8);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/json",
        "Application/JSON",
        "application/json; charset=utf-8",
        "application/json;charset=UTF-8",
        "application/json; charset=\"utf-8\"",
        "application/json; version=1"
      })
  void jsonInUtf8IsDecodedAsSent(String contentType) {
    assertThat(RequestBodyText.decode(contentType, JSON, 100, false))
        .isEqualTo("{\"name\":\"Caf\u00e9\"}");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/json; charset=utf-16",
        "application/json; charset=latin1",
        "application/json; charset=",
        "application/json; charset=utf-8; charset=utf-16",
        "application/jsonx",
        "text/json",
        " "
      })
  void otherMediaTypesOrCharsetsAre415NamingTheContentType(String contentType) {
    Problem problem = refusal(contentType, JSON, true);

    assertThat(problem.status()).isEqualTo(415);
    assertThat(problem.errors())
        .extracting(Problem.FieldError::field)
        .containsExactly("Content-Type");
  }

  @ParameterizedTest
  @ValueSource(strings = {"c0 af", "e0 80 af", "ed a0 80", "f4 90 80 80", "f8 88 80 80 80", "e9"})
  void bytesThatAreNotUtf8Are400NamingTheBody(String hexBytes) {
    String[] hex = hexBytes.split(" ");
    byte[] body = new byte[hex.length + 2];
    body[0] = '"';
    for (int i = 0; i < hex.length; i++) {
      body[i + 1] = (byte) Integer.parseInt(hex[i], 16);
    }
    body[body.length - 1] = '"';

    assertRefusedNamingTheBody(refusal("application/json", body, false));
  }

  @Test
  void aByteOrderMarkIs400NamingTheBody() {
    byte[] body = new byte[JSON.length + 3];
    body[0] = (byte) 0xef;
    body[1] = (byte) 0xbb;
    body[2] = (byte) 0xbf;
    System.arraycopy(JSON, 0, body, 3, JSON.length);

    assertRefusedNamingTheBody(refusal("application/json", body, false));
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aBodyWithoutContentTypeIs415AndOnlyAnEmptyOptionalBodyMayLeaveItOut(boolean emptyAllowed) {
    assertThat(refusal(null, JSON, emptyAllowed).status()).isEqualTo(415);
    if (emptyAllowed) {
      assertThat(RequestBodyText.decode(null, new byte[0], 100, true)).isEmpty();
    } else {
      assertThat(refusal(null, new byte[0], false).status()).isEqualTo(415);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {17, 100})
  void aBodyOverTheLimitIs413NamingTheBody(int bodyBytes) {
    Problem problem = refusal("application/json", new byte[bodyBytes], false, 16);

    assertThat(problem.status()).isEqualTo(413);
    assertThat(problem.errors()).extracting(Problem.FieldError::field).containsExactly("body");
  }

  private static void assertRefusedNamingTheBody(Problem problem) {
    assertThat(problem.status()).isEqualTo(400);
    assertThat(problem.errors()).extracting(Problem.FieldError::field).containsExactly("body");
  }

  private static Problem refusal(String contentType, byte[] body, boolean emptyAllowed) {
    return refusal(contentType, body, emptyAllowed, 100);
  }

  private static Problem refusal(
      String contentType, byte[] body, boolean emptyAllowed, int maxBytes) {
    return catchThrowableOfType(
            ProblemException.class,
            () -> RequestBodyText.decode(contentType, body, maxBytes, emptyAllowed))
        .problem();
  }
}
