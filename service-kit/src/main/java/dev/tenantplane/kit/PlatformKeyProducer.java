package dev.tenantplane.kit;

import dev.tenantplane.common.crypto.EnvelopeSealer;
import dev.tenantplane.common.crypto.PlatformKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;

/**
 * The configured platform key, and the sealer of tenant credentials made from it. The key is a
 * singleton (a final class, not proxied); what uses it other than the sealer takes a key derived
 * for its purpose ({@link PlatformKey#derive}).
 */
public class PlatformKeyProducer {

  @Produces
  @ApplicationScoped
  EnvelopeSealer sealer(PlatformKey key) {
    return new EnvelopeSealer(key, new SecureRandom());
  }

  @Produces
  @Singleton
  PlatformKey key(PlatformKeySettings settings) {
    if (settings.file().isPresent()) {
      try {
        return PlatformKey.fromFile(settings.file().get());
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot read the platform key file " + settings.file().get(), e);
      }
    }
    return PlatformKey.fromBase64(
        settings
            .value()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no platform key: set tenantplane.platform-key.file or"
                            + " tenantplane.platform-key.value")));
  }
}
