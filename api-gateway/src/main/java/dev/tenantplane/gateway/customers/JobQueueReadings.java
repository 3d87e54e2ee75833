package dev.tenantplane.gateway.customers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantplane.common.naming.PlatformRedisKeys;
import dev.tenantplane.gateway.customers.CustomerViews.QueueView;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A customer's job queue as the health-monitor last read it from the customer's app, kept in the
 * platform's Redis with the rest of its current health. It expires when nobody watches the customer
 * any more, so a customer shows no queue rather than a stale one.
 */
@ApplicationScoped
public class JobQueueReadings {
  private static final Logger LOG = Logger.getLogger(JobQueueReadings.class);

  private final ValueCommands<String, String> values;
  private final ObjectMapper json;

  public JobQueueReadings(RedisDataSource redis, ObjectMapper json) {
    this.values = redis.value(String.class);
    this.json = json;
  }

  /** Blocking; empty when unknown, and when Redis does not answer (the status still shows). */
  public Optional<QueueView> latest(String customerId) {
    try {
      String raw = values.get(PlatformRedisKeys.currentHealth(customerId));
      if (raw == null) {
        return Optional.empty();
      }
      JsonNode current = json.readTree(raw);
      JsonNode queue = current.path("queue");
      if (!queue.isObject()) {
        return Optional.empty();
      }
      String checkedAt = current.path("checkedAt").asText(null);
      return Optional.of(
          new QueueView(
              queue.path("waiting").asLong(),
              queue.path("delayed").asLong(),
              queue.path("running").asLong(),
              queue.path("failed").asLong(),
              queue.path("oldestWaitingSeconds").asDouble(),
              checkedAt == null ? null : Instant.parse(checkedAt)));
    } catch (Exception e) {
      LOG.warnf(
          "customer=%s outcome=queue-unread reason=\"%s\"",
          customerId, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      return Optional.empty();
    }
  }
}
