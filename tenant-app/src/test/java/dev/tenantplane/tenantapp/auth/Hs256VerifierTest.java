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
import org.junit.jupiter.api.Test;

class Hs256VerifierTest {
  private static final String SECRET = "a-customer-jwt-secret-of-at-least-32-bytes";
  private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
  private static final Hs256Verifier VERIFIER =
      new Hs256Verifier(SECRET, Clock.fixed(NOW, ZoneOffset.UTC));
  private static final UUID ORG = UUID.fromString("0f0e0d0c-0b0a-4908-8706-050403020100");

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
  void unsignedAlgorithmNoneIsRefused() {
    String token = TestTokens.sign(SECRET, "{\"alg\":\"none\"}", "{\"org\":\"" + ORG + "\"}");
    assertRefused(token, "HS256");
  }

  @Test
  void expiredTokenIsRefused() {
    assertRefused(TestTokens.forOrganization(SECRET, ORG, NOW.minusSeconds(1)), "expired");
  }

  @Test
  void tokenWithoutExpiryIsRefused() {
    assertRefused(
        TestTokens.sign(SECRET, "{\"alg\":\"HS256\"}", "{\"org\":\"" + ORG + "\"}"), "exp");
  }

  @Test
  void organizationClaimMustBeAnId() {
    String token =
        TestTokens.sign(
            SECRET,
            "{\"alg\":\"HS256\"}",
            "{\"org\":\"' OR 1=1 --\",\"exp\":" + NOW.plusSeconds(60).getEpochSecond() + "}");
    assertRefused(token, "org claim");
  }

  @Test
  void garbageIsRefused() {
    assertRefused("not-a-token", "compact");
    assertRefused("a.b.c", "base64url");
  }

  @Test
  void shortSecretIsRejectedAtStart() {
    assertThatThrownBy(() -> new Hs256Verifier("short", Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertRefused(String token, String why) {
    assertThatThrownBy(() -> VERIFIER.verify(token))
        .isInstanceOf(InvalidTokenException.class)
        .hasMessageContaining(why);
  }
}
