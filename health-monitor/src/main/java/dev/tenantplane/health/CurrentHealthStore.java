package dev.tenantplane.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantplane.common.naming.PlatformRedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The latest health of each customer in the platform's Redis, under {@code
 * tenantplane:health:<id>}, with the job queue its app last reported; expiring when the monitor
 * stops refreshing it (so a stale value never poses as current). The gateway reads its {@code
 * components}, {@code queue} and {@code checkedAt} for {@code GET /customers/{id}}, so their names
 * are a contract.
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

  /**
   * The JSON kept per customer: the verdict, each component's state ({@code ok}, what its probe
   * found, or {@code unknown} for the worker when the app did not answer) and the job queue, left
   * out when the app reported none.
   */
  public record CurrentHealth(
      String customer,
      String health,
      String component,
      String error,
      String checkedAt,
      Map<String, String> components,
      @JsonInclude(JsonInclude.Include.NON_NULL) QueueStats queue) {

    static CurrentHealth of(
        String customerId, Verdict verdict, ProbeReport report, Instant checkedAt) {
      Map<String, String> components = new LinkedHashMap<>();
      for (Component c : Component.values()) {
        String failure = report.failures().get(c);
        boolean unjudged = c == Component.WORKER && report.failures().containsKey(Component.APP);
        components.put(c.wireName(), failure != null ? failure : unjudged ? "unknown" : "ok");
      }
      return new CurrentHealth(
          customerId,
          verdict.health().name().toLowerCase(Locale.ROOT),
          verdict.componentName(),
          verdict.error(),
          checkedAt.toString(),
          components,
          report.queue());
    }
  }

  public void put(String customerId, Verdict verdict, ProbeReport report, Instant checkedAt) {
    CurrentHealth current = CurrentHealth.of(customerId, verdict, report, checkedAt);
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
