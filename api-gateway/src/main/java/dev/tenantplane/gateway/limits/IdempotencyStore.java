package dev.tenantplane.gateway.limits;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantplane.gateway.GatewaySettings;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The {@code Idempotency-Key}s of each token, in Redis. A request first reserves its key with an
 * atomic {@code SET NX} of a pending marker, so of two concurrent requests with the same key only
 * one runs; it then replaces the marker with its answer (kept for {@code idempotency-ttl}) or
 * releases it. A marker whose request died expires after {@code idempotency-pending-ttl}. Blocking.
 */
@ApplicationScoped
public class IdempotencyStore {
  private static final Logger LOG = Logger.getLogger(IdempotencyStore.class);
  private static final int RESERVE_ATTEMPTS = 3;
  // Replace or delete the key only while it still holds this request's own marker: a marker that
  // expired may since have been taken by another request, whose entry must stay.
  private static final String REPLACE_OWN_MARKER =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then"
          + " return redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end return false";
  private static final String DELETE_OWN_MARKER =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end"
          + " return 0";

  /** A remembered response: the request's hash and what was answered. */
  public record Remembered(String requestHash, int status, String location, String body) {}

  /** What {@link #reserve} found. */
  public sealed interface Claim permits Reserved, InProgress, Answered {}

  /** The key is this request's now: {@link #complete} or {@link #release} it. */
  public record Reserved(String marker) implements Claim {}

  /** An earlier request with this key is still running. */
  public record InProgress(String requestHash) implements Claim {}

  /** An earlier request with this key was answered. */
  public record Answered(Remembered answer) implements Claim {}

  /**
   * The value in Redis: {@code reservedBy} is set while the first request runs, the answer fields
   * once it answered (the shape of the answer alone is what earlier versions stored).
   */
  record Stored(String requestHash, int status, String location, String body, String reservedBy) {}

  private final RedisDataSource redis;
  private final GatewaySettings settings;
  private final ObjectMapper json = new ObjectMapper();

  public IdempotencyStore(RedisDataSource redis, GatewaySettings settings) {
    this.redis = redis;
    this.settings = settings;
  }

  /** Reserves {@code key} for a request with {@code requestHash}, or tells what holds it. */
  public Claim reserve(String tokenName, String key, String requestHash) {
    String redisKey = redisKey(tokenName, key);
    for (int attempt = 0; attempt < RESERVE_ATTEMPTS; attempt++) {
      String marker =
          write(new Stored(requestHash, 0, null, null, UUID.randomUUID().toString()), key);
      Response set =
          redis.execute(
              "SET", redisKey, marker, "NX", "PX", millis(settings.idempotencyPendingTtl()));
      if (set != null && "OK".equals(set.toString())) {
        return new Reserved(marker);
      }
      String existing = redis.value(String.class).get(redisKey);
      if (existing != null) {
        Stored stored = read(existing, key);
        return stored.reservedBy() != null
            ? new InProgress(stored.requestHash())
            : new Answered(
                new Remembered(
                    stored.requestHash(), stored.status(), stored.location(), stored.body()));
      }
      // The holder released or expired between SET and GET: the key is free again.
    }
    throw new IllegalStateException(
        "Idempotency-Key could not be reserved after " + RESERVE_ATTEMPTS + " attempts");
  }

  /** Replaces this request's marker with its answer, kept for {@code idempotency-ttl}. */
  public void complete(String tokenName, String key, Reserved reservation, Remembered answer) {
    Stored stored =
        new Stored(answer.requestHash(), answer.status(), answer.location(), answer.body(), null);
    redis.execute(
        "EVAL",
        REPLACE_OWN_MARKER,
        "1",
        redisKey(tokenName, key),
        reservation.marker(),
        write(stored, key),
        millis(settings.idempotencyTtl()));
  }

  /**
   * Frees the key of a request that was not accepted, so the client may try again at once. Never
   * throws: a marker that cannot be removed expires after {@code idempotency-pending-ttl}.
   */
  public void release(String tokenName, String key, Reserved reservation) {
    try {
      redis.execute("EVAL", DELETE_OWN_MARKER, "1", redisKey(tokenName, key), reservation.marker());
    } catch (RuntimeException e) {
      LOG.warnf(
          "step=api outcome=idempotency-release-failed token=%s reason=\"%s\"",
          tokenName, e.getMessage());
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

  private String write(Stored stored, String key) {
    try {
      return json.writeValueAsString(stored);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot store idempotency record for key " + key, e);
    }
  }

  private Stored read(String stored, String key) {
    try {
      return json.readValue(stored, Stored.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable idempotency record for key " + key, e);
    }
  }

  private static String millis(Duration duration) {
    return Long.toString(Math.max(1, duration.toMillis()));
  }

  private static String redisKey(String tokenName, String key) {
    // The client's key is hashed so that any header value makes a safe, bounded Redis key.
    return "api-gateway:idempotency:" + tokenName + ":" + hash(key);
  }
}
