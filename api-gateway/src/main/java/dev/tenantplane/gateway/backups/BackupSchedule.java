package dev.tenantplane.gateway.backups;

import dev.tenantplane.gateway.GatewaySettings;
import dev.tenantplane.gateway.GatewaySettings.PlanPolicy;
import dev.tenantplane.gateway.customers.CustomerCommands.Result;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Requests the backups that are due: every {@code backups.schedule-interval} it looks for READY
 * customers whose plan's period has passed since their last backup (asked for, scheduled, or
 * failed: a failure waits for the next period too) or since their creation, oldest first, at most
 * {@code backups.schedule-batch} at a time. Its state is the backup records, so a restart loses
 * nothing and starts no backup twice; with several gateways each due customer is requested once,
 * because {@link BackupCommands#scheduled} checks again under the customer's row lock.
 */
@ApplicationScoped
public class BackupSchedule {
  private static final Logger LOG = Logger.getLogger(BackupSchedule.class);
  private static final Duration WAIT = Duration.ofSeconds(15);

  private final BackupCommands commands;
  private final BackupPlans plans;
  private final Pool pool;
  private final GatewaySettings settings;
  private final Clock clock;

  public BackupSchedule(
      BackupCommands commands,
      BackupPlans plans,
      Pool pool,
      GatewaySettings settings,
      Clock clock) {
    this.commands = commands;
    this.plans = plans;
    this.pool = pool;
    this.settings = settings;
    this.clock = clock;
  }

  @Scheduled(
      every = "${tenantplane.gateway.backups.schedule-interval:1m}",
      delay = 30,
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void onSchedule() {
    try {
      requestDue();
    } catch (RuntimeException e) {
      LOG.warnf("step=backup-schedule outcome=failed reason=\"%s\"", e.getMessage());
    }
  }

  /** Requests the backups due now; returns the customers it requested one for. Blocking. */
  public List<String> requestDue() {
    Instant now = clock.instant();
    List<String> requested = new ArrayList<>();
    for (String id : due(now)) {
      if (commands.scheduled(id, now).result() == Result.ACCEPTED) {
        requested.add(id);
      }
    }
    if (!requested.isEmpty()) {
      LOG.infof("step=backup-schedule outcome=requested customers=%s", requested);
    }
    return requested;
  }

  private List<String> due(Instant now) {
    List<String> due = new ArrayList<>();
    for (Map.Entry<String, PlanPolicy> plan : plans.scheduled().entrySet()) {
      int room = settings.backups().scheduleBatch() - due.size();
      if (room <= 0) {
        break;
      }
      Instant cutoff = now.minus(plan.getValue().every());
      for (Row row :
          pool.preparedQuery(
                  "SELECT c.id FROM customer c, LATERAL (SELECT COALESCE(max(b.requested_at),"
                      + " c.created_at) AS last FROM backup b WHERE b.customer_id = c.id) l"
                      + " WHERE c.status = 'READY' AND c.plan = $1 AND l.last <= $2"
                      + " ORDER BY l.last, c.id LIMIT $3")
              .execute(Tuple.of(plan.getKey(), cutoff.atOffset(ZoneOffset.UTC), room))
              .await()
              .atMost(WAIT)) {
        due.add(row.getString("id"));
      }
    }
    return due;
  }
}
