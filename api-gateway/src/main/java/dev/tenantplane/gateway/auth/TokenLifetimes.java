package dev.tenantplane.gateway.auth;

import dev.tenantplane.gateway.GatewaySettings;
import java.time.Duration;

/**
 * The lifetimes of tokens made through the API, in whole days, as requests ask for them ({@code
 * expiresInDays}). Read from the settings by the token endpoint and by the OpenAPI document, which
 * states them; settings that are not whole days, below a day, or a default above the maximum stop
 * the gateway rather than minting tokens of a lifetime nobody chose.
 */
public record TokenLifetimes(int defaultDays, int maxDays) {
  private static final String PREFIX = "tenantplane.gateway.tokens.";

  public static TokenLifetimes of(GatewaySettings.Tokens settings) {
    int defaultDays = days("default-lifetime", settings.defaultLifetime());
    int maxDays = days("max-lifetime", settings.maxLifetime());
    if (defaultDays > maxDays) {
      throw new IllegalStateException(
          PREFIX
              + "default-lifetime ("
              + defaultDays
              + "d) must not exceed "
              + PREFIX
              + "max-lifetime ("
              + maxDays
              + "d)");
    }
    return new TokenLifetimes(defaultDays, maxDays);
  }

  private static int days(String name, Duration lifetime) {
    Duration day = Duration.ofDays(1);
    if (lifetime.compareTo(day) < 0 || !lifetime.equals(day.multipliedBy(lifetime.toDays()))) {
      throw new IllegalStateException(
          PREFIX + name + " must be a whole number of days, at least 1d, not " + lifetime);
    }
    return Math.toIntExact(lifetime.toDays());
  }
}
