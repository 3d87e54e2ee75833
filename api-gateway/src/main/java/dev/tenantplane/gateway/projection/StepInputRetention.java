package dev.tenantplane.gateway.projection;

import dev.tenantplane.gateway.GatewaySettings;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Deletes step inputs older than {@code step-input-retention}, except those of FAILED customers,
 * which a retry re-emits. A step input is a copy of an event with the customer's sealed
 * credentials, kept only so that the step can be retried; a step that failed for good makes the
 * customer FAILED within its attempts, so an older input of a customer in any other status will not
 * be asked for. Runs every {@code tenantplane.kit.retention-interval}, with the kit's pruning of
 * outbox and inbox rows; several gateways may run it at once.
 */
@ApplicationScoped
public class StepInputRetention {
  private static final Logger LOG = Logger.getLogger(StepInputRetention.class);
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final Pool pool;
  private final GatewaySettings settings;
  private final Clock clock;

  public StepInputRetention(Pool pool, GatewaySettings settings, Clock clock) {
    this.pool = pool;
    this.settings = settings;
    this.clock = clock;
  }

  @Scheduled(
      every = "${tenantplane.kit.retention-interval:1h}",
      delay = 90,
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    try {
      int pruned = prune();
      if (pruned > 0) {
        LOG.infof("step=retention outcome=pruned step_inputs=%d", pruned);
      }
    } catch (RuntimeException e) {
      LOG.warnf("step=retention outcome=failed reason=\"%s\"", e.getMessage());
    }
  }

  /** One pass at the current time; how many step inputs it deleted. Blocking. */
  public int prune() {
    return pool.preparedQuery(
            "DELETE FROM step_input s WHERE s.occurred_at < $1 AND NOT EXISTS"
                + " (SELECT 1 FROM customer c WHERE c.id = s.customer_id AND c.status = 'FAILED')")
        .execute(
            Tuple.of(clock.instant().minus(settings.stepInputRetention()).atOffset(ZoneOffset.UTC)))
        .await()
        .atMost(WAIT)
        .rowCount();
  }
}
