package dev.tenantplane.gateway.projection;

import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.kafka.EventCodec;
import dev.tenantplane.common.kafka.MalformedEventException;
import dev.tenantplane.common.naming.CustomerIds;
import dev.tenantplane.gateway.Sql;
import dev.tenantplane.kit.DatabaseErrors;
import dev.tenantplane.kit.Inbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Feeds every customer lifecycle event into the projection. It only records what happened, so it
 * never emits StepFailed: an unreadable record is logged and skipped, and while the control-plane
 * database is down the record waits (it is acknowledged only once stored).
 */
@ApplicationScoped
public class LifecycleProjection {
  static final String CONSUMER = "api-gateway.projection";
  private static final Logger LOG = Logger.getLogger(LifecycleProjection.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final EventCodec codec;
  private final Inbox inbox;
  private final ProjectionWriter writer;
  private final MeterRegistry metrics;

  public LifecycleProjection(
      EventCodec codec, Inbox inbox, ProjectionWriter writer, MeterRegistry metrics) {
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
      return;
    }
    if (CustomerIds.FLEET.equals(event.customerId())) {
      return;
    }
    boolean first = storeUntilDone(event);
    String outcome = first ? "projected" : "duplicate-skipped";
    LOG.infof(
        "consumer=%s step=projection customer=%s event=%s type=%s outcome=%s",
        CONSUMER, event.customerId(), event.meta().eventId(), record.topic(), outcome);
    count(outcome);
  }

  private boolean storeUntilDone(LifecycleEvent event) {
    Duration backoff = FIRST_BACKOFF;
    while (true) {
      try {
        return Sql.await(() -> Panache.withTransaction(() -> project(event)));
      } catch (RuntimeException e) {
        if (!DatabaseErrors.unavailable(e)) {
          // A readable event the projection refuses (e.g. a field it needs is missing) is
          // skipped, so it cannot hold up every later event of its partition.
          LOG.errorf(
              "consumer=%s step=projection customer=%s event=%s outcome=unprojectable reason=\"%s\"",
              CONSUMER, event.customerId(), event.meta().eventId(), e.getMessage());
          count("unprojectable");
          return false;
        }
        LOG.warnf(
            "consumer=%s step=projection customer=%s event=%s outcome=store-failed retry_in=%s"
                + " reason=\"%s\"",
            CONSUMER, event.customerId(), event.meta().eventId(), backoff, e.getMessage());
        sleep(backoff);
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
      }
    }
  }

  private Uni<Boolean> project(LifecycleEvent event) {
    return inbox
        .record(CONSUMER, event, "projected")
        .chain(
            first -> first ? writer.apply(event).replaceWith(true) : Uni.createFrom().item(false));
  }

  private void count(String outcome) {
    metrics.counter("tenantplane.gateway.projection", "outcome", outcome).increment();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to store an event", e);
    }
  }
}
