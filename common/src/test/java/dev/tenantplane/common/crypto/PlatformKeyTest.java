package dev.tenantplane.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class PlatformKeyTest {
  // 32 bytes 0x00..0x1f.
  private static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

  @Test
  void aDerivedKeyIsHkdfExpandOfThePlatformKeyForItsPurpose() throws Exception {
    byte[] raw = Base64.getDecoder().decode(KEY);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(raw, "HmacSHA256"));
    mac.update("backups".getBytes(StandardCharsets.UTF_8));
    mac.update((byte) 1);
    byte[] expected = mac.doFinal();

    PlatformKey key = PlatformKey.fromBase64(KEY);
    assertThat(key.derive("backups")).hasSize(32).isEqualTo(expected).isNotEqualTo(raw);
    assertThat(key.derive("backups")).isEqualTo(PlatformKey.fromBase64(KEY).derive("backups"));
    assertThat(key.derive("something else")).isNotEqualTo(expected);
  }
}
