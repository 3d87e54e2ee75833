package dev.tenantplane.kit;

import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.common.events.Topics;
import dev.tenantplane.common.kafka.EventCodec;
import dev.tenantplane.common.kafka.MalformedEventException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Runs a {@link StepHandler} for one consumed record, the same way in every service: decode (an
 * unreadable record goes to the dead-letter topic), skip what the inbox has seen, attempt the step
 * with back-off, and commit the inbox row, the step's state and its events in one transaction.
 * Every failed attempt emits StepFailed; after the last one the event also goes to the dead-letter
 * topic. Call it from a {@code @Blocking} {@code @Incoming} method: it blocks.
 */
@ApplicationScoped
public class StepRunner {
  private static final Logger LOG = Logger.getLogger(StepRunner.class);
  private static final Duration STORE_RETRY_MAX = Duration.ofSeconds(30);

  private final EventCodec codec;
  private final Inbox inbox;
  private final Outbox outbox;
  private final KitSettings settings;
  private final OutboxRelay relay;
  private final MeterRegistry metrics;
  private final Clock clock = Clock.systemUTC();

  public StepRunner(
      EventCodec codec,
      Inbox inbox,
      Outbox outbox,
      OutboxRelay relay,
      KitSettings settings,
      MeterRegistry metrics) {
    this.codec = codec;
    this.inbox = inbox;
    this.outbox = outbox;
    this.relay = relay;
    this.settings = settings;
    this.metrics = metrics;
  }

  /**
   * Handles one record.
   *
   * @param consumer the inbox name of this consumer, e.g. {@code provisioner.allocate}
   */
  public <E extends LifecycleEvent> void run(
      ConsumerRecord<String, byte[]> record,
      String consumer,
      Step step,
      Class<E> eventType,
      StepHandler<E> handler) {
    E event;
    try {
      LifecycleEvent decoded = codec.decode(record.headers(), record.value());
      if (!eventType.isInstance(decoded)) {
        throw new MalformedEventException(
            "expected " + eventType.getSimpleName() + " on " + record.topic());
      }
      event = eventType.cast(decoded);
    } catch (MalformedEventException e) {
      reportMalformed(record, consumer, e);
      return;
    }
    if (store(() -> Panache.withSession(() -> inbox.handled(consumer, event.meta().eventId())))) {
      log(consumer, step, event, "duplicate-skipped", 0, 0, null);
      count(consumer, "duplicate");
      return;
    }
    attempt(consumer, step, event, handler);
  }

  private <E extends LifecycleEvent> void attempt(
      String consumer, Step step, E event, StepHandler<E> handler) {
    Duration backoff = settings.stepBackoff();
    for (int attempt = 1; ; attempt++) {
      long started = System.nanoTime();
      try {
        Commit commit = handler.reconcile(event);
        boolean recorded = commitOrRetryWhileUnavailable(() -> commit(consumer, event, commit));
        relay.publishNow();
        log(consumer, step, event, recorded ? "done" : "duplicate-skipped", attempt, started, null);
        count(consumer, recorded ? "done" : "duplicate");
        return;
      } catch (Exception e) {
        boolean retryable = !(e instanceof StepException se) || se.retryable();
        boolean last = !retryable || attempt >= settings.stepAttempts();
        String detail = e instanceof StepException se ? se.detail() : e.getClass().getName();
        StepFailed failed =
            new StepFailed(event.meta().next(clock), step, attempt, reason(e), !last, detail);
        log(consumer, step, event, last ? "failed" : "attempt-failed", attempt, started, failed);
        if (last) {
          store(() -> giveUp(consumer, event, failed));
          relay.publishNow();
          count(consumer, "failed");
          return;
        }
        store(() -> Panache.withTransaction(() -> outbox.add(failed)).replaceWith(true));
        relay.publishNow();
        sleep(backoff);
        backoff = min(backoff.multipliedBy(2), settings.stepMaxBackoff());
      }
    }
  }

  private Uni<Boolean> commit(String consumer, LifecycleEvent event, Commit commit) {
    return Panache.withTransaction(
        () ->
            inbox
                .record(consumer, event, "done")
                .chain(
                    first -> {
                      if (!first) {
                        return Panache.currentTransaction()
                            .invoke(tx -> tx.markForRollback())
                            .replaceWith(false);
                      }
                      return commit.apply().chain(events -> addAll(events)).replaceWith(true);
                    }));
  }

  private Uni<Void> addAll(List<LifecycleEvent> events) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (LifecycleEvent e : events) {
      chain = chain.chain(() -> outbox.add(e));
    }
    return chain;
  }

  private Uni<Boolean> giveUp(String consumer, LifecycleEvent event, StepFailed failed) {
    EventCodec.Encoded original = codec.encode(event);
    Map<String, String> headers = Outbox.toMap(original.headers());
    headers.put("tp_consumer", consumer);
    headers.put("tp_reason", failed.reason());
    return Panache.withTransaction(
        () ->
            inbox
                .record(consumer, event, "failed")
                .chain(() -> outbox.add(failed))
                .chain(
                    () ->
                        outbox.addRecord(
                            Topics.DEAD_LETTER, original.key(), headers, original.value()))
                .replaceWith(true));
  }

  private void reportMalformed(
      ConsumerRecord<String, byte[]> record, String consumer, MalformedEventException e) {
    LOG.warnf(
        "consumer=%s outcome=malformed topic=%s partition=%d offset=%d key=%s reason=\"%s\"",
        consumer,
        record.topic(),
        record.partition(),
        record.offset(),
        record.key(),
        e.getMessage());
    count(consumer, "malformed");
    Map<String, String> headers = Outbox.toMap(record.headers());
    headers.put("tp_consumer", consumer);
    headers.put("tp_reason", e.getMessage());
    headers.put("tp_origin", record.topic() + "/" + record.partition() + "/" + record.offset());
    store(
        () ->
            Panache.withTransaction(
                    () ->
                        outbox.addRecord(Topics.DEAD_LETTER, record.key(), headers, record.value()))
                .replaceWith(true));
    relay.publishNow();
  }

  /**
   * Commits a step's outcome. While the database is unreachable the commit is retried (the step did
   * its work; only the record is missing); any other failure, such as a constraint the step's state
   * violates, is the step's failure and goes through its attempts.
   */
  private boolean commitOrRetryWhileUnavailable(Supplier<Uni<Boolean>> work) throws StepException {
    try {
      return retrying(work, DatabaseErrors::unavailable);
    } catch (RefusedWrite e) {
      throw new StepException(
          "cannot record the step: " + e.getCause().getMessage(), true, null, e.getCause());
    }
  }

  /**
   * Runs a transaction, retrying while the control-plane database is unreachable: the record is not
   * acknowledged until its outcome is stored, so nothing is lost while the database is down.
   */
  private boolean store(Supplier<Uni<Boolean>> work) {
    return retrying(work, e -> true);
  }

  /** Runs a transaction, retrying with back-off the failures {@code retry} accepts. */
  private boolean retrying(Supplier<Uni<Boolean>> work, Predicate<Throwable> retry) {
    Duration backoff = settings.stepBackoff();
    while (true) {
      try {
        return VertxContextSupport.subscribeAndAwait(work);
      } catch (Throwable e) {
        if (!retry.test(e)) {
          throw new RefusedWrite(e);
        }
        LOG.warnf("outcome=store-failed retry_in=%s reason=\"%s\"", backoff, e.getMessage());
        sleep(backoff);
        backoff = min(backoff.multipliedBy(2), STORE_RETRY_MAX);
      }
    }
  }

  /** A write the database refused for a reason other than being unreachable. */
  private static final class RefusedWrite extends RuntimeException {
    RefusedWrite(Throwable cause) {
      super(cause);
    }
  }

  private void log(
      String consumer,
      Step step,
      LifecycleEvent event,
      String outcome,
      int attempt,
      long startedNanos,
      StepFailed failed) {
    long millis = startedNanos == 0 ? 0 : (System.nanoTime() - startedNanos) / 1_000_000;
    String line =
        String.format(
            "consumer=%s step=%s customer=%s event=%s correlation=%s outcome=%s attempt=%d"
                + " millis=%d",
            consumer,
            step,
            event.customerId(),
            event.meta().eventId(),
            event.meta().correlationId(),
            outcome,
            attempt,
            millis);
    if (failed == null) {
      LOG.info(line);
    } else {
      LOG.warn(line + " reason=\"" + failed.reason() + "\"");
    }
  }

  private void count(String consumer, String outcome) {
    metrics
        .counter("tenantplane.step.outcomes", "consumer", consumer, "outcome", outcome)
        .increment();
  }

  private static String reason(Exception e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to retry", e);
    }
  }
}
