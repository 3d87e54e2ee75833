package dev.tenantplane.gateway.limits;

import dev.tenantplane.gateway.GatewaySettings;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;

/**
 * Limits write requests per token with a fixed one-minute window in Redis, shared by every gateway
 * instance: one counter per token and minute, expiring after the window.
 */
@ApplicationScoped
public class WriteRateLimiter {
  private static final long WINDOW_SECONDS = 60;

  /**
   * Counts and, for the window's first write, sets the expiry, in one step: as two calls, a gateway
   * stopping between them would leave a counter that never expires.
   */
  private static final String COUNT =
      "local n = redis.call('INCR', KEYS[1])"
          + " if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return n";

  private final ReactiveRedisDataSource redis;
  private final GatewaySettings settings;
  private final Clock clock;

  public WriteRateLimiter(ReactiveRedisDataSource redis, GatewaySettings settings, Clock clock) {
    this.clock = clock;
    this.redis = redis;
    this.settings = settings;
  }

  /** Counts one write; returns the seconds to wait when the token is over its limit. */
  public Uni<Optional<Long>> admit(String tokenName) {
    long now = clock.instant().getEpochSecond();
    long window = now / WINDOW_SECONDS;
    String key = "api-gateway:writes:" + tokenName + ":" + window;
    return redis
        .execute("EVAL", COUNT, "1", key, Long.toString(WINDOW_SECONDS * 2))
        .map(response -> response.toLong())
        .map(
            count ->
                count > settings.writesPerMinute()
                    ? Optional.of((window + 1) * WINDOW_SECONDS - now)
                    : Optional.empty());
  }
}
