package dev.tenantplane.kit;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Deletes the control-plane rows that have done their work: published outbox rows older than {@code
 * outbox-retention} and inbox rows older than {@code inbox-retention}, every {@code
 * retention-interval}. An unpublished outbox row is never deleted, whatever its age. Rows go in
 * batches of {@value #BATCH}, each its own short transaction, so a large backlog never holds a long
 * lock; several instances may run it at once, since a row deleted twice is deleted once.
 */
@ApplicationScoped
public class RowRetention {
  private static final Logger LOG = Logger.getLogger(RowRetention.class);
  static final int BATCH = 1000;

  private final KitSettings settings;
  private final Clock clock;

  public RowRetention(KitSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** How many rows one pass deleted. */
  public record Pruned(long outbox, long inbox) {}

  @Scheduled(
      every = "${tenantplane.kit.retention-interval:1h}",
      delay = 60,
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    try {
      Pruned pruned = prune();
      if (pruned.outbox() + pruned.inbox() > 0) {
        LOG.infof(
            "step=retention outcome=pruned outbox=%d inbox=%d", pruned.outbox(), pruned.inbox());
      }
    } catch (RuntimeException e) {
      LOG.warnf("step=retention outcome=failed reason=\"%s\"", e.getMessage());
    }
  }

  /** One pass at the current time; blocking. */
  public Pruned prune() {
    Instant now = clock.instant();
    long outbox =
        deleteInBatches(
            "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NOT NULL"
                + " AND sent_at < :cutoff ORDER BY id LIMIT :batch)",
            now.minus(settings.outboxRetention()));
    long inbox =
        deleteInBatches(
            "DELETE FROM inbox WHERE (consumer, event_id) IN (SELECT consumer, event_id FROM inbox"
                + " WHERE handled_at < :cutoff LIMIT :batch)",
            now.minus(settings.inboxRetention()));
    return new Pruned(outbox, inbox);
  }

  private static long deleteInBatches(String statement, Instant cutoff) {
    long total = 0;
    int deleted;
    do {
      deleted = deleteBatch(statement, cutoff);
      total += deleted;
    } while (deleted == BATCH);
    return total;
  }

  private static int deleteBatch(String statement, Instant cutoff) {
    try {
      return VertxContextSupport.subscribeAndAwait(
          () ->
              Panache.withTransaction(
                  () ->
                      Panache.getSession()
                          .chain(
                              session ->
                                  session
                                      .createNativeQuery(statement)
                                      .setParameter("cutoff", cutoff.atOffset(ZoneOffset.UTC))
                                      .setParameter("batch", BATCH)
                                      .executeUpdate())));
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }
}
