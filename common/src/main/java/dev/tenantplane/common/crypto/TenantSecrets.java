package dev.tenantplane.common.crypto;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantplane.common.events.SealedEnvelope;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The generated credentials of one customer stack. {@link #toString()} never shows a value, so a
 * stray log statement cannot leak one.
 */
public record TenantSecrets(
    String databaseOwnerPassword,
    String appDatabasePassword,
    String redisPassword,
    String jwtSecret,
    String encryptionKey) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Fresh secrets: 32 random bytes each, URL-safe base64 so they need no quoting anywhere. */
  public static TenantSecrets generate(SecureRandom random) {
    return new TenantSecrets(
        token(random, 32),
        token(random, 32),
        token(random, 32),
        token(random, 48),
        token(random, 32));
  }

  public SealedEnvelope seal(String customerId, EnvelopeSealer sealer) {
    try {
      return sealer.seal(customerId, JSON.writeValueAsBytes(this));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise secrets of " + customerId, e);
    }
  }

  public static TenantSecrets open(
      String customerId, SealedEnvelope envelope, EnvelopeSealer sealer) {
    try {
      return JSON.readValue(sealer.open(customerId, envelope), TenantSecrets.class);
    } catch (IOException e) {
      throw new SealedEnvelopeException("envelope for " + customerId + " holds no secrets");
    }
  }

  @Override
  public String toString() {
    return "TenantSecrets[redacted]";
  }

  private static String token(SecureRandom random, int bytes) {
    byte[] raw = new byte[bytes];
    random.nextBytes(raw);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }
}
