package dev.tenantplane.gateway.projection;

import dev.tenantplane.common.events.FleetMigrationCompleted;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.kafka.EventCodec;
import dev.tenantplane.common.kafka.MalformedEventException;
import dev.tenantplane.common.naming.CustomerIds;
import dev.tenantplane.gateway.Sql;
import dev.tenantplane.gateway.fleet.FleetMigrationStore;
import dev.tenantplane.kit.DeadLetters;
import dev.tenantplane.kit.Inbox;
import dev.tenantplane.kit.OutboxRelay;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Feeds every customer lifecycle event into the projection, and the migrator's report of each fleet
 * run into the fleet migration records. It only records what happened, so it never emits
 * StepFailed. As it reads every record of the stream, it is the one that sends a record nobody can
 * read to the dead-letter topic. While the control-plane database is down the record waits (it is
 * acknowledged only once stored).
 */
@ApplicationScoped
public class LifecycleProjection {
  static final String CONSUMER = "api-gateway.projection";
  private static final Logger LOG = Logger.getLogger(LifecycleProjection.class);

  private final EventCodec codec;
  private final Inbox inbox;
  private final ProjectionWriter writer;
  private final DeadLetters deadLetters;
  private final OutboxRelay relay;
  private final MeterRegistry metrics;

  public LifecycleProjection(
      EventCodec codec,
      Inbox inbox,
      ProjectionWriter writer,
      DeadLetters deadLetters,
      OutboxRelay relay,
      MeterRegistry metrics) {
    this.deadLetters = deadLetters;
    this.relay = relay;
    this.codec = codec;
    this.inbox = inbox;
    this.writer = writer;
    this.metrics = metrics;
  }

  @Incoming("lifecycle")
  @Blocking
  public void on(ConsumerRecord<String, byte[]> record) {
    LifecycleEvent event;
    try {
      event = codec.decode(record.headers(), record.value());
    } catch (MalformedEventException e) {
      LOG.warnf(
          "consumer=%s step=projection customer=%s outcome=malformed topic=%s offset=%d"
              + " reason=\"%s\"",
          CONSUMER, record.key(), record.topic(), record.offset(), e.getMessage());
      count("malformed");
      deadLetter(record, e);
      return;
    }
    if (CustomerIds.FLEET.equals(event.customerId())
        && !(event instanceof FleetMigrationCompleted)) {
      return;
    }
    boolean first = storeUntilDone(event);
    String outcome = first ? "projected" : "duplicate-skipped";
    LOG.infof(
        "consumer=%s step=projection customer=%s event=%s type=%s outcome=%s",
        CONSUMER, event.customerId(), event.meta().eventId(), record.topic(), outcome);
    count(outcome);
  }

  /**
   * Every step skips a record it cannot read; this consumer, which reads every record of the
   * stream, sends it to the dead-letter topic, once for all of them.
   */
  private void deadLetter(ConsumerRecord<String, byte[]> record, MalformedEventException e) {
    UntilStored.run(
        () ->
            Sql.await(
                () ->
                    Panache.withTransaction(
                        () -> deadLetters.unreadable(record, CONSUMER, e.getMessage()))),
        (failure, backoff) ->
            LOG.warnf(
                "consumer=%s step=projection customer=%s outcome=store-failed retry_in=%s"
                    + " reason=\"%s\"",
                CONSUMER, record.key(), backoff, failure.getMessage()));
    relay.publishNow();
  }

  private boolean storeUntilDone(LifecycleEvent event) {
    try {
      return UntilStored.run(
          () -> Sql.await(() -> Panache.withTransaction(() -> project(event))),
          (e, backoff) ->
              LOG.warnf(
                  "consumer=%s step=projection customer=%s event=%s outcome=store-failed"
                      + " retry_in=%s reason=\"%s\"",
                  CONSUMER, event.customerId(), event.meta().eventId(), backoff, e.getMessage()));
    } catch (RuntimeException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw e; // shutting down while waiting for the database: not stored, so not acknowledged
      }
      // A readable event the projection refuses (e.g. a field it needs is missing) is skipped,
      // so it cannot hold up every later event of its partition.
      LOG.errorf(
          "consumer=%s step=projection customer=%s event=%s outcome=unprojectable reason=\"%s\"",
          CONSUMER, event.customerId(), event.meta().eventId(), e.getMessage());
      count("unprojectable");
      return false;
    }
  }

  private Uni<Boolean> project(LifecycleEvent event) {
    return inbox
        .record(CONSUMER, event, "projected")
        .chain(first -> first ? write(event).replaceWith(true) : Uni.createFrom().item(false));
  }

  private Uni<Void> write(LifecycleEvent event) {
    return event instanceof FleetMigrationCompleted report
        ? FleetMigrationStore.completed(report)
        : writer.apply(event);
  }

  private void count(String outcome) {
    metrics.counter("tenantplane.gateway.projection", "outcome", outcome).increment();
  }
}
