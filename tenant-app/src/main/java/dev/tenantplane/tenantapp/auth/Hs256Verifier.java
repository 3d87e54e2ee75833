package dev.tenantplane.tenantapp.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies compact HS256 JSON Web Tokens signed with the customer's {@code JWT_SECRET}: the header
 * must say HS256 (no other algorithm, never {@code none}), the signature must match in constant
 * time, {@code exp} (required) must lie ahead and {@code org} must be an organization id.
 */
public final class Hs256Verifier {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Decoder B64 = Base64.getUrlDecoder();
  private static final int MIN_SECRET_BYTES = 32;

  private final SecretKeySpec key;
  private final Clock clock;

  public Hs256Verifier(String secret, Clock clock) {
    byte[] raw = secret.getBytes(StandardCharsets.UTF_8);
    if (raw.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("the JWT secret must be at least 32 bytes");
    }
    this.key = new SecretKeySpec(raw, "HmacSHA256");
    this.clock = clock;
  }

  public OrgToken verify(String token) {
    if (token == null) {
      throw new InvalidTokenException("no bearer token");
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new InvalidTokenException("not a compact JWS");
    }
    JsonNode header = json(parts[0]);
    if (!"HS256".equals(header.path("alg").asText())) {
      throw new InvalidTokenException("algorithm must be HS256");
    }
    byte[] expected = sign(parts[0] + "." + parts[1]);
    if (!MessageDigest.isEqual(expected, decode(parts[2]))) {
      throw new InvalidTokenException("bad signature");
    }
    JsonNode claims = json(parts[1]);
    if (!claims.path("exp").canConvertToLong()
        || claims.path("exp").asLong() <= clock.instant().getEpochSecond()) {
      throw new InvalidTokenException("expired or without exp");
    }
    try {
      return new OrgToken(
          UUID.fromString(claims.path("org").asText()), claims.path("sub").asText(null));
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException("org claim is not an organization id");
    }
  }

  /** Signs {@code header.payload}; used by {@link #verify} and to issue test tokens. */
  public byte[] sign(String signingInput) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static JsonNode json(String part) {
    try {
      JsonNode node = JSON.readTree(decode(part));
      if (node == null || !node.isObject()) {
        throw new InvalidTokenException("token part is not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new InvalidTokenException("token part is not JSON");
    }
  }

  private static byte[] decode(String part) {
    try {
      return B64.decode(part);
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException("token part is not base64url");
    }
  }
}
