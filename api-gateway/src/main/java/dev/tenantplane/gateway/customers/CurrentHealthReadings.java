package dev.tenantplane.gateway.customers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantplane.common.naming.PlatformRedisKeys;
import dev.tenantplane.gateway.customers.CustomerViews.QueueView;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A customer's health as the health-monitor last probed it, kept in the platform's Redis: each
 * component's state and the job queue its app reported. It expires when nobody watches the customer
 * any more, so a customer shows none rather than a stale one.
 */
@ApplicationScoped
public class CurrentHealthReadings {
  private static final Logger LOG = Logger.getLogger(CurrentHealthReadings.class);

  /** Each component's state ({@code ok} or what its probe found), and the queue if reported. */
  public record Current(Map<String, String> components, QueueView queue) {}

  private final ValueCommands<String, String> values;
  private final ObjectMapper json;

  public CurrentHealthReadings(RedisDataSource redis, ObjectMapper json) {
    this.values = redis.value(String.class);
    this.json = json;
  }

  /** Blocking; empty when unknown, and when Redis does not answer (the status still shows). */
  public Optional<Current> latest(String customerId) {
    try {
      String raw = values.get(PlatformRedisKeys.currentHealth(customerId));
      if (raw == null) {
        return Optional.empty();
      }
      JsonNode current = json.readTree(raw);
      Map<String, String> components = new LinkedHashMap<>();
      current
          .path("components")
          .fields()
          .forEachRemaining(f -> components.put(f.getKey(), f.getValue().asText()));
      JsonNode queue = current.path("queue");
      String checkedAt = current.path("checkedAt").asText(null);
      QueueView queueView =
          !queue.isObject()
              ? null
              : new QueueView(
                  queue.path("waiting").asLong(),
                  queue.path("delayed").asLong(),
                  queue.path("running").asLong(),
                  queue.path("failed").asLong(),
                  queue.path("oldestWaitingSeconds").asDouble(),
                  checkedAt == null ? null : Instant.parse(checkedAt));
      return Optional.of(new Current(components.isEmpty() ? null : components, queueView));
    } catch (Exception e) {
      LOG.warnf(
          "customer=%s outcome=current-health-unread reason=\"%s\"",
          customerId, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      return Optional.empty();
    }
  }
}
