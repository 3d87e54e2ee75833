package dev.tenantplane.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * The latest health of each customer in the platform's Redis, under {@code
 * tenantplane:health:<id>}, expiring when the monitor stops refreshing it (so a stale value never
 * poses as current). The gateway reads it for {@code GET /customers/{id}}.
 */
@ApplicationScoped
public class CurrentHealthStore {
  public static final String KEY_PREFIX = "tenantplane:health:";
  private static final Logger LOG = Logger.getLogger(CurrentHealthStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ValueCommands<String, String> values;
  private final HealthSettings settings;

  public CurrentHealthStore(RedisDataSource redis, HealthSettings settings) {
    this.values = redis.value(String.class);
    this.settings = settings;
  }

  /** The JSON kept per customer. */
  public record CurrentHealth(
      String customer, String health, String component, String error, String checkedAt) {}

  public void put(String customerId, Verdict verdict, Instant checkedAt) {
    CurrentHealth current =
        new CurrentHealth(
            customerId,
            verdict.health().name().toLowerCase(Locale.ROOT),
            verdict.componentName(),
            verdict.error(),
            checkedAt.toString());
    try {
      values.setex(
          KEY_PREFIX + customerId,
          settings.currentHealthTtl().toSeconds(),
          JSON.writeValueAsString(current));
    } catch (JsonProcessingException | RuntimeException e) {
      // The events carry every transition; this copy is a convenience, so a Redis outage only logs.
      LOG.warnf(
          "customer=%s outcome=current-health-not-stored reason=\"%s\"",
          customerId, e.getMessage());
    }
  }
}
