package dev.tenantplane.tenantapp.jobs;

import dev.tenantplane.tenantapp.TenantAppSettings;
import dev.tenantplane.tenantapp.db.OrgTransactions;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Submits a job so that the worker never sees it before its row exists and it is never lost: the
 * job is noted in Redis, its row is committed, and only then is it queued. Redis not answering at
 * first fails the submission before the database is touched; a row that does not commit drops the
 * note; a queueing that fails after the commit leaves the note, which {@link JobSweep} queues
 * later.
 */
@ApplicationScoped
public class JobSubmissions {
  private static final Logger LOG = Logger.getLogger(JobSubmissions.class);

  private final OrgTransactions transactions;
  private final JobQueue queue;
  private final TenantAppSettings settings;

  public JobSubmissions(OrgTransactions transactions, JobQueue queue, TenantAppSettings settings) {
    this.transactions = transactions;
    this.queue = queue;
    this.settings = settings;
  }

  /**
   * Notes, commits and queues a new job of the organization, to run after {@code delay}; returns
   * its id.
   *
   * @throws QueueUnavailableException (in the Uni) when Redis does not take the note within {@code
   *     jobs.submit-timeout}; nothing is written then
   */
  public Uni<UUID> submit(
      UUID organizationId, String kind, JobParameters parameters, Duration delay) {
    JobMessage job =
        JobMessage.submitted(
            UUID.randomUUID(),
            organizationId,
            kind,
            parameters,
            System.currentTimeMillis() + delay.toMillis());
    return commit(job)
        .chain(
            raw ->
                queue
                    .confirm(raw)
                    .ifNoItem()
                    .after(settings.jobs().submitTimeout())
                    .fail()
                    .onFailure()
                    .recoverWithItem(
                        e -> {
                          LOG.warnf(
                              "customer=%s step=job job=%s outcome=queue-deferred reason=\"%s\"",
                              settings.customerId(), job.jobId(), e.getMessage());
                          return false;
                        }))
        .replaceWith(job.jobId());
  }

  /** Notes the job and commits its row, without queueing it; returns the note. */
  private Uni<String> commit(JobMessage job) {
    return queue
        .intend(job)
        .ifNoItem()
        .after(settings.jobs().submitTimeout())
        .fail()
        .onFailure()
        .transform(
            e ->
                new QueueUnavailableException(
                    "the job queue of " + settings.customerId() + " does not answer", e))
        .chain(
            raw ->
                transactions
                    .inOrganization(
                        job.organizationId(),
                        connection ->
                            connection
                                .preparedQuery("INSERT INTO jobs (id, kind) VALUES ($1, $2)")
                                .execute(Tuple.of(job.jobId(), job.kind())))
                    .onFailure()
                    .call(() -> queue.forget(raw).onFailure().recoverWithNull())
                    .replaceWith(raw));
  }
}
