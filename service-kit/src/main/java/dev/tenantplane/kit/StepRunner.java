package dev.tenantplane.kit;

import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.common.kafka.CloudEventHeaders;
import dev.tenantplane.common.kafka.EventCodec;
import dev.tenantplane.common.kafka.MalformedEventException;
import dev.tenantplane.common.retry.RetryPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.context.Context;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Runs a {@link StepHandler} for each consumed record, the same way in every service: take the
 * records of the step's event type, decode (an unreadable one is logged and skipped), skip what the
 * inbox has seen, attempt the step, and commit the inbox row, the step's state and its events in
 * one transaction. Every failed attempt emits StepFailed and the next one is scheduled after the
 * {@link RetryPolicy}'s wait; after the last one the event also goes to the dead-letter topic.
 *
 * <p>Records of different customers are handled at the same time (up to {@code step-concurrency}
 * per consumer); one customer's records are handled one after another, in the order they came. A
 * record is acknowledged once its outcome is stored, so a crash redelivers what was not done.
 */
@ApplicationScoped
public class StepRunner {
  private static final Logger LOG = Logger.getLogger(StepRunner.class);
  private static final Duration STORE_RETRY_MAX = Duration.ofSeconds(30);

  private final EventCodec codec;
  private final Inbox inbox;
  private final Outbox outbox;
  private final DeadLetters deadLetters;
  private final KitSettings settings;
  private final RetryPolicy retries;
  private final RetryPolicy storeRetries;
  private final OutboxRelay relay;
  private final MeterRegistry metrics;
  private final StepTracing tracing;
  private final Clock clock;
  private final ExecutorService workers = Executors.newCachedThreadPool(new WorkerThreads());
  private final Map<String, KeyedLanes> lanes = new ConcurrentHashMap<>();
  private volatile boolean stopping;

  public StepRunner(
      EventCodec codec,
      Inbox inbox,
      Outbox outbox,
      DeadLetters deadLetters,
      OutboxRelay relay,
      KitSettings settings,
      MeterRegistry metrics,
      StepTracing tracing,
      Clock clock) {
    this.clock = clock;
    this.tracing = tracing;
    this.codec = codec;
    this.inbox = inbox;
    this.outbox = outbox;
    this.deadLetters = deadLetters;
    this.relay = relay;
    this.settings = settings;
    this.retries =
        new RetryPolicy(
            settings.stepAttempts(),
            settings.stepBackoff(),
            settings.stepBackoffFactor(),
            settings.stepMaxBackoff());
    this.storeRetries = RetryPolicy.unlimited(settings.stepBackoff(), 2, STORE_RETRY_MAX);
    this.metrics = metrics;
  }

  /**
   * Queues one consumed record for its customer's lane and returns at once, or once the consumer
   * has room for more work. Return the stage from a non-blocking {@code @Incoming} method that
   * takes the {@code Message}: the runner acknowledges it when its outcome is stored.
   *
   * @param consumer the inbox name of this consumer, e.g. {@code provisioner.allocate}
   */
  public <E extends LifecycleEvent> CompletionStage<Void> submit(
      Message<byte[]> message,
      String consumer,
      Step step,
      Class<E> eventType,
      StepHandler<E> handler) {
    ConsumerRecord<String, byte[]> record = consumerRecord(message);
    if (!addressedTo(record, eventType)) {
      return message.ack();
    }
    String lane = record.key() == null ? "" : record.key();
    return lanes
        .computeIfAbsent(consumer, c -> new KeyedLanes(workers, settings.stepConcurrency()))
        .submit(
            lane,
            () -> {
              if (stopping) {
                // Not acknowledged: the next instance to own the partition handles it.
                return CompletableFuture.completedFuture(null);
              }
              return handle(record, consumer, step, eventType, handler)
                  .thenCompose(
                      done -> done ? message.ack() : CompletableFuture.completedFuture(null))
                  .exceptionallyCompose(
                      e -> {
                        LOG.errorf(
                            e,
                            "consumer=%s customer=%s outcome=unhandled topic=%s offset=%d",
                            consumer,
                            record.key(),
                            record.topic(),
                            record.offset());
                        return message.nack(e);
                      });
            });
  }

  /**
   * Whether the record is an event of the type this step handles: the lifecycle topic carries every
   * type of a customer's events, and each step takes its own.
   */
  private static boolean addressedTo(
      ConsumerRecord<String, byte[]> record, Class<? extends LifecycleEvent> eventType) {
    return CloudEventHeaders.type(record.headers())
        .map(type -> type.equals(EventType.of(eventType).wireType()))
        .orElse(false);
  }

  @SuppressWarnings("unchecked")
  private static ConsumerRecord<String, byte[]> consumerRecord(Message<byte[]> message) {
    return message
        .getMetadata(IncomingKafkaRecordMetadata.class)
        .map(m -> (ConsumerRecord<String, byte[]>) m.getRecord())
        .orElseThrow(() -> new IllegalArgumentException("not a record consumed from Kafka"));
  }

  /** Handles one record; completes with whether its outcome is stored (false while stopping). */
  private <E extends LifecycleEvent> CompletableFuture<Boolean> handle(
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
      return CompletableFuture.completedFuture(true);
    }
    if (store(() -> Panache.withSession(() -> inbox.handled(consumer, event.meta().eventId())))) {
      try (StepLogContext logged = StepLogContext.enter(consumer, step, event)) {
        log(consumer, step, event, "duplicate-skipped", 0, 0, null);
      }
      count(consumer, "duplicate");
      return CompletableFuture.completedFuture(true);
    }
    return attempt(consumer, step, event, TraceHeaders.extract(record.headers()), handler, 1);
  }

  /**
   * Runs attempt number {@code attempt}; a failed attempt that is not the last schedules the next
   * one instead of waiting on this thread, so other customers go on meanwhile.
   */
  private <E extends LifecycleEvent> CompletableFuture<Boolean> attempt(
      String consumer, Step step, E event, Context emitter, StepHandler<E> handler, int attempt) {
    if (stopping) {
      return CompletableFuture.completedFuture(false);
    }
    try (StepLogContext logged = StepLogContext.enter(consumer, step, event);
        StepTracing.Attempt span = tracing.start(consumer, step, event, emitter, attempt)) {
      return run(consumer, step, event, emitter, handler, attempt, span);
    }
  }

  private <E extends LifecycleEvent> CompletableFuture<Boolean> run(
      String consumer,
      Step step,
      E event,
      Context emitter,
      StepHandler<E> handler,
      int attempt,
      StepTracing.Attempt span) {
    long started = System.nanoTime();
    try {
      Commit commit = handler.reconcile(event);
      boolean recorded = commitOrRetryWhileUnavailable(() -> commit(consumer, event, commit));
      relay.publishNow();
      if (recorded) {
        afterCommit(consumer, event, commit);
      }
      log(consumer, step, event, recorded ? "done" : "duplicate-skipped", attempt, started, null);
      count(consumer, recorded ? "done" : "duplicate");
      time(consumer, step, recorded ? "done" : "duplicate", started);
      return CompletableFuture.completedFuture(true);
    } catch (Exception e) {
      boolean retryable = !(e instanceof StepException se) || se.retryable();
      boolean last = !retryable || retries.isLast(attempt);
      String detail = e instanceof StepException se ? se.detail() : e.getClass().getName();
      StepFailed failed =
          new StepFailed(event.meta().next(clock), step, attempt, reason(e), !last, detail);
      log(consumer, step, event, last ? "failed" : "attempt-failed", attempt, started, failed);
      span.failed(failed.reason());
      time(consumer, step, last ? "failed" : "attempt-failed", started);
      if (last) {
        store(() -> giveUp(consumer, event, failed));
        relay.publishNow();
        count(consumer, "failed");
        return CompletableFuture.completedFuture(true);
      }
      store(() -> Panache.withTransaction(() -> outbox.add(failed)).replaceWith(true));
      relay.publishNow();
      Executor later =
          CompletableFuture.delayedExecutor(
              retries.delayAfter(attempt).toMillis(), TimeUnit.MILLISECONDS, workers);
      return CompletableFuture.supplyAsync(() -> attempt + 1, later)
          .thenCompose(next -> attempt(consumer, step, event, emitter, handler, next));
    }
  }

  private static void afterCommit(String consumer, LifecycleEvent event, Commit commit) {
    try {
      commit.afterCommit();
    } catch (RuntimeException e) {
      // The step is stored; what follows it is an optimisation the step does not depend on.
      LOG.warnf(
          "consumer=%s customer=%s event=%s outcome=after-commit-failed reason=\"%s\"",
          consumer, event.customerId(), event.meta().eventId(), e.getMessage());
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
    return Panache.withTransaction(
        () ->
            inbox
                .record(consumer, event, "failed")
                .chain(() -> outbox.add(failed))
                .chain(() -> deadLetters.failed(event, consumer, failed))
                .replaceWith(true));
  }

  // Not dead-lettered here: the gateway's projection reads every record of the stream and sends
  // each one it cannot read to the dead-letter topic once, not once per step.
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

  /**
   * Runs a transaction, retrying with back-off the failures {@code retry} accepts. It waits on its
   * thread: while the control-plane database is down no customer's step can be recorded anyway.
   */
  private boolean retrying(Supplier<Uni<Boolean>> work, Predicate<Throwable> retry) {
    Context step = Context.current();
    for (int failures = 1; ; failures++) {
      try {
        return VertxContextSupport.subscribeAndAwait(() -> StepTracing.within(step, work));
      } catch (Throwable e) {
        if (!retry.test(e)) {
          throw new RefusedWrite(e);
        }
        Duration backoff = storeRetries.delayAfter(failures);
        LOG.warnf("outcome=store-failed retry_in=%s reason=\"%s\"", backoff, e.getMessage());
        sleep(backoff);
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

  /**
   * How long the attempt took, as a histogram per consumer, step and outcome: {@code
   * tenantplane_step_duration_seconds_bucket} on {@code /q/metrics}.
   */
  private void time(String consumer, Step step, String outcome, long startedNanos) {
    Timer.builder("tenantplane.step.duration")
        .tags("consumer", consumer, "step", step.name(), "outcome", outcome)
        .publishPercentileHistogram()
        .register(metrics)
        .record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
  }

  private static String reason(Exception e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }

  /** Starts no new step once shutting down; what is unfinished stays unacknowledged. */
  void onShutdown(@Observes ShutdownEvent event) {
    stopping = true;
  }

  @PreDestroy
  void stop() {
    workers.shutdownNow();
  }

  /** Daemon threads named for the logs. */
  private static final class WorkerThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable work) {
      Thread thread = new Thread(work, "step-worker-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
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
