package dev.tenantplane.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantplane.common.events.SealedEnvelope;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class EnvelopeSealerTest {
  private final SecureRandom random = new SecureRandom();
  private final EnvelopeSealer sealer =
      new EnvelopeSealer(PlatformKey.fromBase64(PlatformKey.generateBase64(random)), random);

  @Test
  void secretsSealedForACustomerOpenForThatCustomer() {
    TenantSecrets secrets = TenantSecrets.generate(random);
    SealedEnvelope envelope = secrets.seal("acme-corp", sealer);
    assertThat(TenantSecrets.open("acme-corp", envelope, sealer)).isEqualTo(secrets);
  }

  @Test
  void ciphertextDoesNotContainTheSecret() {
    TenantSecrets secrets = TenantSecrets.generate(random);
    SealedEnvelope envelope = secrets.seal("acme-corp", sealer);
    String decoded =
        new String(Base64.getDecoder().decode(envelope.ciphertext()), StandardCharsets.ISO_8859_1);
    assertThat(decoded).doesNotContain(secrets.redisPassword());
    assertThat(envelope.toString()).doesNotContain(secrets.redisPassword());
  }

  @Test
  void anEnvelopeMovedToAnotherCustomerFailsToOpen() {
    SealedEnvelope envelope = TenantSecrets.generate(random).seal("acme-corp", sealer);
    assertThatThrownBy(() -> TenantSecrets.open("techstart", envelope, sealer))
        .isInstanceOf(SealedEnvelopeException.class)
        .hasMessageContaining("techstart");
  }

  @Test
  void aTamperedEnvelopeFailsToOpen() {
    SealedEnvelope envelope = sealer.seal("acme-corp", "secret".getBytes(StandardCharsets.UTF_8));
    byte[] bytes = Base64.getDecoder().decode(envelope.ciphertext());
    bytes[0] ^= 1;
    SealedEnvelope tampered =
        new SealedEnvelope(
            envelope.keyId(), envelope.nonce(), Base64.getEncoder().encodeToString(bytes));
    assertThatThrownBy(() -> sealer.open("acme-corp", tampered))
        .isInstanceOf(SealedEnvelopeException.class);
  }

  @Test
  void anEnvelopeOfAnotherKeyIsRefusedByKeyId() {
    EnvelopeSealer other =
        new EnvelopeSealer(PlatformKey.fromBase64(PlatformKey.generateBase64(random)), random);
    SealedEnvelope envelope = other.seal("acme-corp", new byte[] {1});
    assertThatThrownBy(() -> sealer.open("acme-corp", envelope))
        .isInstanceOf(SealedEnvelopeException.class)
        .hasMessageContaining("sealed under key");
  }

  @Test
  void sealingTwiceGivesDifferentCiphertexts() {
    byte[] plain = "same".getBytes(StandardCharsets.UTF_8);
    assertThat(sealer.seal("acme-corp", plain).ciphertext())
        .isNotEqualTo(sealer.seal("acme-corp", plain).ciphertext());
  }

  @Test
  void secretsNeverShowInToString() {
    TenantSecrets secrets = TenantSecrets.generate(random);
    assertThat(secrets.toString()).doesNotContain(secrets.databaseOwnerPassword());
    assertThat(secrets.toString()).isEqualTo("TenantSecrets[redacted]");
  }

  @Test
  void generatedSecretsAreDistinctAndLongEnough() {
    TenantSecrets secrets = TenantSecrets.generate(random);
    assertThat(secrets.databaseOwnerPassword()).hasSizeGreaterThanOrEqualTo(43);
    assertThat(secrets.databaseOwnerPassword()).isNotEqualTo(secrets.appDatabasePassword());
    assertThat(secrets.jwtSecret()).matches("[A-Za-z0-9_-]{64}");
  }

  @Test
  void aKeyOfTheWrongSizeIsRefused() {
    assertThatThrownBy(() -> PlatformKey.fromBase64("c2hvcnQ="))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
  }
}
