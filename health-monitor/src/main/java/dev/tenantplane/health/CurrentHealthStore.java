package dev.tenantplane.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantplane.common.naming.PlatformRedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * The latest health of each customer in the platform's Redis, under {@code
 * tenantplane:health:<id>}, with the job queue its app last reported; expiring when the monitor
 * stops refreshing it (so a stale value never poses as current). The gateway reads its {@code
 * queue} and {@code checkedAt} for {@code GET /customers/{id}}, so their names are a contract.
 */
@ApplicationScoped
public class CurrentHealthStore {
  private static final Logger LOG = Logger.getLogger(CurrentHealthStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ValueCommands<String, String> values;
  private final HealthSettings settings;

  public CurrentHealthStore(RedisDataSource redis, HealthSettings settings) {
    this.values = redis.value(String.class);
    this.settings = settings;
  }

  /** The JSON kept per customer; {@code queue} is left out when the app reported none. */
  public record CurrentHealth(
      String customer,
      String health,
      String component,
      String error,
      String checkedAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) QueueStats queue) {

    static CurrentHealth of(
        String customerId, Verdict verdict, QueueStats queue, Instant checkedAt) {
      return new CurrentHealth(
          customerId,
          verdict.health().name().toLowerCase(Locale.ROOT),
          verdict.componentName(),
          verdict.error(),
          checkedAt.toString(),
          queue);
    }
  }

  /** {@code queue} may be null: the app reported none this round. */
  public void put(String customerId, Verdict verdict, QueueStats queue, Instant checkedAt) {
    CurrentHealth current = CurrentHealth.of(customerId, verdict, queue, checkedAt);
    try {
      values.setex(
          PlatformRedisKeys.currentHealth(customerId),
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
