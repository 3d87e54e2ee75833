package dev.tenantplane.common.crypto;

import dev.tenantplane.common.events.SealedEnvelope;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals bytes for one customer with AES-GCM under the platform key. The customer id is the
 * associated data, so an envelope copied into another customer's event fails to open.
 */
public final class EnvelopeSealer {
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final PlatformKey key;
  private final SecureRandom random;

  public EnvelopeSealer(PlatformKey key, SecureRandom random) {
    this.key = key;
    this.random = random;
  }

  public SealedEnvelope seal(String customerId, byte[] plaintext) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] ciphertext = run(Cipher.ENCRYPT_MODE, customerId, nonce, plaintext);
    Base64.Encoder b64 = Base64.getEncoder();
    return new SealedEnvelope(key.id(), b64.encodeToString(nonce), b64.encodeToString(ciphertext));
  }

  /**
   * Opens an envelope sealed for {@code customerId}.
   *
   * @throws SealedEnvelopeException when it was sealed under another key, for another customer, or
   *     was altered
   */
  public byte[] open(String customerId, SealedEnvelope envelope) {
    if (!key.id().equals(envelope.keyId())) {
      throw new SealedEnvelopeException(
          "envelope for " + customerId + " was sealed under key " + envelope.keyId());
    }
    try {
      Base64.Decoder b64 = Base64.getDecoder();
      return run(
          Cipher.DECRYPT_MODE,
          customerId,
          b64.decode(envelope.nonce()),
          b64.decode(envelope.ciphertext()));
    } catch (IllegalArgumentException e) {
      throw new SealedEnvelopeException("envelope for " + customerId + " is not valid base64");
    }
  }

  private byte[] run(int mode, String customerId, byte[] nonce, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, key.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(customerId.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new SealedEnvelopeException(
          "cannot "
              + (mode == Cipher.ENCRYPT_MODE ? "seal" : "open")
              + " envelope for "
              + customerId);
    }
  }
}
