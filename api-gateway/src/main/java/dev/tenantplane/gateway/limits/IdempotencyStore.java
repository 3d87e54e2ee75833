package dev.tenantplane.gateway.limits;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantplane.gateway.GatewaySettings;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Remembers the first response to each {@code Idempotency-Key} of a token, with a hash of the
 * request it answered, in Redis for the configured time. Blocking.
 */
@ApplicationScoped
public class IdempotencyStore {
  /** A remembered response: the request's hash and what was answered. */
  public record Remembered(String requestHash, int status, String location, String body) {}

  private final RedisDataSource redis;
  private final GatewaySettings settings;
  private final ObjectMapper json = new ObjectMapper();

  public IdempotencyStore(RedisDataSource redis, GatewaySettings settings) {
    this.redis = redis;
    this.settings = settings;
  }

  public Optional<Remembered> find(String tokenName, String key) {
    String stored = redis.value(String.class).get(redisKey(tokenName, key));
    if (stored == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(json.readValue(stored, Remembered.class));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable idempotency record for key " + key, e);
    }
  }

  /** Stores the first response; a concurrent first response stored earlier is kept. */
  public void remember(String tokenName, String key, Remembered response) {
    try {
      redis
          .value(String.class)
          .set(
              redisKey(tokenName, key),
              json.writeValueAsString(response),
              new SetArgs().nx().ex(settings.idempotencyTtl()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot store idempotency record for key " + key, e);
    }
  }

  /** A stable hash of a request's canonical form. */
  public static String hash(String canonicalRequest) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  private static String redisKey(String tokenName, String key) {
    // The client's key is hashed so that any header value makes a safe, bounded Redis key.
    return "api-gateway:idempotency:" + tokenName + ":" + hash(key);
  }
}
