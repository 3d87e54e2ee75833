package dev.tenantplane.kit;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a service finds the platform key that seals tenant credentials: a file (preferred; mode
 * 0600, written by {@code deploy/platform.sh up}) or the base64 text itself.
 */
@ConfigMapping(prefix = "tenantplane.platform-key")
public interface PlatformKeySettings {
  /** File holding the base64 key ({@code TENANTPLANE_PLATFORM_KEY_FILE}). */
  Optional<Path> file();

  /** The base64 key itself ({@code TENANTPLANE_PLATFORM_KEY_VALUE}), when no file is given. */
  Optional<String> value();
}
