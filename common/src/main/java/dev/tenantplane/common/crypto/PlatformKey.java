package dev.tenantplane.common.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 key that seals tenant credentials on the bus and at rest. It comes from a setting or
 * a file of the services, never from the repository or an event. Its {@link #id()} is a
 * fingerprint, so an envelope names the key that sealed it without revealing it.
 */
public final class PlatformKey {
  private static final int KEY_BYTES = 32;

  private final SecretKey key;
  private final String id;

  private PlatformKey(byte[] raw) {
    if (raw.length != KEY_BYTES) {
      throw new IllegalArgumentException("platform key must be " + KEY_BYTES + " bytes");
    }
    this.key = new SecretKeySpec(raw, "AES");
    this.id = fingerprint(raw);
    Arrays.fill(raw, (byte) 0);
  }

  /** A key from its base64 text (32 bytes once decoded). */
  public static PlatformKey fromBase64(String base64) {
    try {
      return new PlatformKey(Base64.getDecoder().decode(base64.strip()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("platform key is not valid base64 of 32 bytes", e);
    }
  }

  /** A key read from a file holding its base64 text. */
  public static PlatformKey fromFile(Path file) throws IOException {
    return fromBase64(Files.readString(file, StandardCharsets.US_ASCII));
  }

  /** A fresh random key, as base64 text, for an operator to store. */
  public static String generateBase64(SecureRandom random) {
    byte[] raw = new byte[KEY_BYTES];
    random.nextBytes(raw);
    return Base64.getEncoder().encodeToString(raw);
  }

  public String id() {
    return id;
  }

  SecretKey secretKey() {
    return key;
  }

  /**
   * A 32-byte key for one use of the platform's (e.g. encrypting backup files), derived from this
   * one, so that no two uses share a key and the platform key itself never leaves this class:
   * HKDF-Expand (RFC 5869) with this key as the pseudorandom key and {@code purpose} as the info,
   * that is HMAC-SHA256(key, purpose || 0x01). The caller should clear the array once it has used
   * it.
   */
  public byte[] derive(String purpose) {
    byte[] raw = key.getEncoded();
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(raw, "HmacSHA256"));
      mac.update(purpose.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 1);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  @Override
  public String toString() {
    return "PlatformKey[" + id + "]";
  }

  private static String fingerprint(byte[] raw) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw);
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
