package dev.tenantplane.tenantapp.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantplane.tenantapp.TestTokens;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;
import org.jose4j.base64url.Base64Url;
import org.jose4j.keys.HmacKey;
import org.jose4j.mac.MacUtil;
import org.junit.jupiter.api.Test;

class Hs256VerifierTest {
  private static final String SECRET = "a-customer-jwt-secret-of-at-least-32-bytes";
  private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
  private static final Hs256Verifier VERIFIER =
      new Hs256Verifier(SECRET, Clock.fixed(NOW, ZoneOffset.UTC));
  private static final UUID ORG = UUID.fromString("0f0e0d0c-0b0a-4908-8706-050403020100");
  private static final String HS256 = "{\"alg\":\"HS256\"}";

  @Test
  void validTokenYieldsItsOrganization() {
    String token = TestTokens.forOrganization(SECRET, ORG, NOW.plusSeconds(60));
    OrgToken verified = VERIFIER.verify(token);
    assertThat(verified.organizationId()).isEqualTo(ORG);
    assertThat(verified.subject()).isEqualTo("user-1");
  }

  @Test
  void tokenSignedWithAnotherSecretIsRefused() {
    String token =
        TestTokens.forOrganization(
            "another-secret-that-is-also-32-bytes-long", ORG, NOW.plusSeconds(60));
    assertRefused(token, "bad signature");
  }

  @Test
  void changedClaimsBreakTheSignature() {
    String token = TestTokens.forOrganization(SECRET, ORG, NOW.plusSeconds(60));
    String[] parts = token.split("\\.");
    String otherClaims =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                ("{\"org\":\""
                        + UUID.randomUUID()
                        + "\",\"exp\":"
                        + NOW.plusSeconds(60).getEpochSecond()
                        + "}")
                    .getBytes(StandardCharsets.UTF_8));
    assertRefused(parts[0] + "." + otherClaims + "." + parts[2], "bad signature");
  }

  @Test
  void unsignedAlgorithmNoneIsRefused() throws Exception {
    String unsigned = TestTokens.sign(SECRET, "{\"alg\":\"none\"}", claims(NOW.plusSeconds(60)));
    assertThat(unsigned).endsWith(".");
    assertRefused(unsigned, "HS256");

    // The same header with a signature made with the secret: still not HS256.
    String signingInput = unsigned.substring(0, unsigned.length() - 1);
    byte[] mac =
        MacUtil.getInitializedMac(
                MacUtil.HMAC_SHA256, new HmacKey(SECRET.getBytes(StandardCharsets.UTF_8)))
            .doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
    assertRefused(signingInput + "." + Base64Url.encode(mac), "HS256");
  }

  @Test
  void otherAlgorithmsAreRefusedEvenWithTheRightSecret() {
    assertRefused(
        TestTokens.sign(SECRET, "{\"alg\":\"HS512\"}", claims(NOW.plusSeconds(60))), "HS256");
    assertRefused(
        TestTokens.sign(SECRET, "{\"alg\":\"HS384\"}", claims(NOW.plusSeconds(60))), "HS256");
  }

  @Test
  void expiredTokenIsRefused() {
    // Expired as long ago as the allowed clock skew: no longer accepted.
    assertRefused(
        TestTokens.forOrganization(
            SECRET, ORG, NOW.minusSeconds(Hs256Verifier.ALLOWED_CLOCK_SKEW_SECONDS)),
        "expired");
  }

  @Test
  void tokenExpiredWithinTheClockSkewIsAccepted() {
    String token = TestTokens.forOrganization(SECRET, ORG, NOW.minusSeconds(10));
    assertThat(VERIFIER.verify(token).organizationId()).isEqualTo(ORG);
  }

  @Test
  void tokenExpiredTwoMinutesAgoIsRefused() {
    assertRefused(TestTokens.forOrganization(SECRET, ORG, NOW.minusSeconds(120)), "expired");
  }

  @Test
  void tokenWithoutExpiryIsRefused() {
    assertRefused(TestTokens.sign(SECRET, HS256, "{\"org\":\"" + ORG + "\"}"), "exp");
  }

  @Test
  void expiryThatIsNotANumberIsRefused() {
    assertRefused(
        TestTokens.sign(SECRET, HS256, "{\"org\":\"" + ORG + "\",\"exp\":\"tomorrow\"}"),
        "wrong type");
  }

  @Test
  void tokenNotYetValidIsRefused() {
    String token =
        TestTokens.sign(
            SECRET,
            HS256,
            "{\"org\":\""
                + ORG
                + "\",\"nbf\":"
                + NOW.plusSeconds(120).getEpochSecond()
                + ",\"exp\":"
                + NOW.plusSeconds(600).getEpochSecond()
                + "}");
    assertRefused(token, "nbf");
  }

  @Test
  void notBeforeWithinTheClockSkewOrPastIsAccepted() {
    for (Instant notBefore : new Instant[] {NOW.plusSeconds(10), NOW, NOW.minusSeconds(60)}) {
      String token =
          TestTokens.sign(
              SECRET,
              HS256,
              "{\"org\":\""
                  + ORG
                  + "\",\"nbf\":"
                  + notBefore.getEpochSecond()
                  + ",\"exp\":"
                  + NOW.plusSeconds(600).getEpochSecond()
                  + "}");
      assertThat(VERIFIER.verify(token).organizationId()).isEqualTo(ORG);
    }
  }

  @Test
  void unknownCriticalHeaderIsRefused() {
    String token =
        TestTokens.sign(
            SECRET,
            "{\"alg\":\"HS256\",\"crit\":[\"x-tenant-binding\"],\"x-tenant-binding\":\"acme\"}",
            claims(NOW.plusSeconds(60)));
    assertRefused(token, "crit");
  }

  @Test
  void audienceAndIssuerAreNotRequiredNorChecked() {
    String token =
        TestTokens.sign(
            SECRET,
            HS256,
            "{\"org\":\""
                + ORG
                + "\",\"aud\":\"crm\",\"iss\":\"login\",\"exp\":"
                + NOW.plusSeconds(60).getEpochSecond()
                + "}");
    assertThat(VERIFIER.verify(token).organizationId()).isEqualTo(ORG);
  }

  @Test
  void organizationClaimMustBeAnId() {
    String token =
        TestTokens.sign(
            SECRET,
            HS256,
            "{\"org\":\"' OR 1=1 --\",\"exp\":" + NOW.plusSeconds(60).getEpochSecond() + "}");
    assertRefused(token, "org claim");
  }

  @Test
  void organizationClaimMustBePresentAndAString() {
    long exp = NOW.plusSeconds(60).getEpochSecond();
    assertRefused(TestTokens.sign(SECRET, HS256, "{\"exp\":" + exp + "}"), "org claim");
    assertRefused(TestTokens.sign(SECRET, HS256, "{\"org\":42,\"exp\":" + exp + "}"), "org claim");
  }

  @Test
  void garbageIsRefused() {
    assertRefused("not-a-token", "compact");
    assertRefused("a.b.c", "base64url");
    assertRefused(null, "no bearer token");
  }

  @Test
  void claimsThatAreNotAnObjectAreRefused() {
    assertRefused(TestTokens.sign(SECRET, HS256, "[\"org\"]"), "JSON object");
  }

  @Test
  void shortSecretIsRejectedAtStart() {
    assertThatThrownBy(() -> new Hs256Verifier("short", Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the JWT secret must be at least 32 bytes");
  }

  private static String claims(Instant expires) {
    return "{\"org\":\"" + ORG + "\",\"exp\":" + expires.getEpochSecond() + "}";
  }

  private static void assertRefused(String token, String why) {
    assertThatThrownBy(() -> VERIFIER.verify(token))
        .isInstanceOf(InvalidTokenException.class)
        .hasMessageContaining(why);
  }
}
