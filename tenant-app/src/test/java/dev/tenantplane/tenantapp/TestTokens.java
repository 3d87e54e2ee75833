package dev.tenantplane.tenantapp;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/** Issues HS256 tokens the way a customer's login service would. */
public final class TestTokens {
  private TestTokens() {}

  public static String forOrganization(String secret, UUID organization, Instant expires) {
    return sign(
        secret,
        "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
        "{\"sub\":\"user-1\",\"org\":\""
            + organization
            + "\",\"exp\":"
            + expires.getEpochSecond()
            + "}");
  }

  /**
   * A compact JWS of exactly this header and payload, signed with the algorithm the header names
   * (any, {@code none} included, and with no check of the key's length) so that tests can also
   * issue tokens the app must refuse.
   */
  public static String sign(String secret, String headerJson, String payloadJson) {
    try {
      JsonWebSignature jws = new JsonWebSignature();
      jws.getHeaders().setFullHeaderAsJsonString(headerJson);
      jws.setPayload(payloadJson);
      jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
      jws.setDoKeyValidation(false);
      if (!AlgorithmIdentifiers.NONE.equals(jws.getAlgorithmHeaderValue())) {
        jws.setKey(new HmacKey(secret.getBytes(StandardCharsets.UTF_8)));
      }
      return jws.getCompactSerialization();
    } catch (JoseException e) {
      throw new IllegalArgumentException("cannot sign a token with header " + headerJson, e);
    }
  }
}
