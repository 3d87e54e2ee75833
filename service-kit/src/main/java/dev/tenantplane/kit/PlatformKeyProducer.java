package dev.tenantplane.kit;

import dev.tenantplane.common.crypto.EnvelopeSealer;
import dev.tenantplane.common.crypto.PlatformKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;

/** The sealer of tenant credentials, from the configured platform key. */
public class PlatformKeyProducer {

  @Produces
  @ApplicationScoped
  EnvelopeSealer sealer(PlatformKeySettings settings) {
    return new EnvelopeSealer(key(settings), new SecureRandom());
  }

  private static PlatformKey key(PlatformKeySettings settings) {
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
