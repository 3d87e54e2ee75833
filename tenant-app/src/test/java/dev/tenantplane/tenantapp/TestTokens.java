package dev.tenantplane.tenantapp;

import dev.tenantplane.tenantapp.auth.Hs256Verifier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** Issues HS256 tokens the way a customer's login service would. */
public final class TestTokens {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

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

  public static String sign(String secret, String headerJson, String payloadJson) {
    String input =
        B64.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8))
            + "."
            + B64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8));
    byte[] signature = new Hs256Verifier(secret, Clock.systemUTC()).sign(input);
    return input + "." + B64.encodeToString(signature);
  }
}
