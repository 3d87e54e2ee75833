package dev.tenantplane.tenantapp.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tenantplane.tenantapp.TenantAppSettings;
import dev.tenantplane.tenantapp.db.OrgTransactions;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Finishes submissions that stopped halfway: a job noted in Redis but never queued is queued when
 * its row committed, and dropped when it did not. The worker runs it now and then; it looks only at
 * notes older than a grace period, so that it does not judge a submission still in flight.
 */
@ApplicationScoped
public class JobSweep {
  private static final Logger LOG = Logger.getLogger(JobSweep.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final JobQueue queue;
  private final OrgTransactions transactions;
  private final TenantAppSettings settings;

  public JobSweep(JobQueue queue, OrgTransactions transactions, TenantAppSettings settings) {
    this.queue = queue;
    this.transactions = transactions;
    this.settings = settings;
  }

  /** What one sweep did. */
  public record Swept(int queued, int dropped) {}

  /** Settles every note older than {@code grace}; blocks, so call it from the worker's thread. */
  public Swept sweep(Duration grace) {
    int queued = 0;
    int dropped = 0;
    for (String raw : queue.unconfirmedOlderThan(grace)) {
      JobMessage job;
      try {
        job = queue.read(raw);
      } catch (JsonProcessingException e) {
        queue.forget(raw).await().atMost(TIMEOUT);
        dropped++;
        continue;
      }
      if (committed(job)) {
        if (queue.confirm(raw).await().atMost(TIMEOUT)) {
          queued++;
          LOG.infof(
              "customer=%s step=job job=%s outcome=queued-by-sweep",
              settings.customerId(), job.jobId());
        }
      } else {
        queue.forget(raw).await().atMost(TIMEOUT);
        dropped++;
        LOG.infof(
            "customer=%s step=job job=%s outcome=dropped-uncommitted",
            settings.customerId(), job.jobId());
      }
    }
    return new Swept(queued, dropped);
  }

  private boolean committed(JobMessage job) {
    return transactions
        .inOrganization(
            job.organizationId(),
            connection ->
                connection
                    .preparedQuery("SELECT 1 FROM jobs WHERE id = $1")
                    .execute(Tuple.of(job.jobId()))
                    .map(rows -> rows.size() > 0))
        .await()
        .atMost(TIMEOUT);
  }
}
