package dev.tenantplane.health;

import dev.tenantplane.common.crypto.EnvelopeSealer;
import dev.tenantplane.common.crypto.TenantSecrets;
import dev.tenantplane.common.events.CustomerHealthChanged;
import dev.tenantplane.common.events.CustomerReady;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.RestartRequested;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.kit.Outbox;
import dev.tenantplane.kit.OutboxRelay;
import dev.tenantplane.kit.StepTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * One probe round: claim the customers this instance watches (a lease, so with several instances
 * each customer is probed by exactly one), probe them in parallel, then record each verdict and its
 * events in one transaction per customer.
 */
@ApplicationScoped
public class HealthRound {
  private static final Logger LOG = Logger.getLogger(HealthRound.class);
  private static final String READY_SPAN = "health-monitor.ready";

  private final String instance = UUID.randomUUID().toString();
  private final HealthSettings settings;
  private final StackProber prober;
  private final EnvelopeSealer sealer;
  private final Outbox outbox;
  private final OutboxRelay relay;
  private final CurrentHealthStore currentHealth;
  private final HealthMetrics metrics;
  private final HealthTransition transition;
  private final StepTracing tracing;
  private final ExecutorService probes;
  private final Set<String> probing = ConcurrentHashMap.newKeySet();
  private final Clock clock;

  public HealthRound(
      HealthSettings settings,
      StackProber prober,
      EnvelopeSealer sealer,
      Outbox outbox,
      OutboxRelay relay,
      CurrentHealthStore currentHealth,
      HealthMetrics metrics,
      StepTracing tracing,
      Clock clock) {
    this.clock = clock;
    this.tracing = tracing;
    this.settings = settings;
    this.prober = prober;
    this.sealer = sealer;
    this.outbox = outbox;
    this.relay = relay;
    this.currentHealth = currentHealth;
    this.metrics = metrics;
    this.transition =
        new HealthTransition(
            new HealthTransition.Rules(
                settings.failuresBeforeRestart(),
                settings.timeoutsBeforeRestart(),
                settings.maxRestarts(),
                settings.restartWindow(),
                settings.restartBackoff()));
    this.probes = Executors.newFixedThreadPool(settings.parallelism());
  }

  @Scheduled(
      every = "${tenantplane.health.interval:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void run() {
    try {
      List<WatchedCustomer> mine = claim();
      List<Future<?>> running = new ArrayList<>();
      for (WatchedCustomer customer : mine) {
        running.add(probes.submit(() -> probeAndRecord(customer)));
      }
      for (Future<?> future : running) {
        future.get();
      }
      if (!mine.isEmpty()) {
        relay.publishNow();
      }
    } catch (Throwable e) {
      LOG.warnf("outcome=round-failed reason=\"%s\"", e.getMessage());
    }
  }

  /**
   * Probes one customer now, unless its readiness is reported already. True when there is nothing
   * more to wait for: it is ready, no longer watched, or another instance holds its lease (and
   * probes it in its own rounds).
   */
  boolean probeUntilReady(String customerId) throws Throwable {
    WatchedCustomer customer = claimOne(customerId);
    if (customer == null || customer.state().readyReported()) {
      return true;
    }
    boolean ready = probeAndRecord(customer);
    if (ready) {
      relay.publishNow();
    }
    return ready;
  }

  private WatchedCustomer claimOne(String customerId) throws Throwable {
    return VertxContextSupport.subscribeAndAwait(
        () ->
            Panache.withTransaction(
                () ->
                    takeLeases(" and customerId = ?4", customerId)
                        .chain(
                            claimed ->
                                claimed == 0
                                    ? Uni.createFrom().<WatchedCustomer>nullItem()
                                    : WatchedCustomer.<WatchedCustomer>findById(customerId))));
  }

  private List<WatchedCustomer> claim() throws Throwable {
    return VertxContextSupport.subscribeAndAwait(
        () ->
            Panache.withTransaction(
                () ->
                    takeLeases("")
                        .chain(
                            () ->
                                WatchedCustomer.<WatchedCustomer>list(
                                    "active = true and leaseOwner = ?1", instance))));
  }

  /**
   * Inside a transaction: takes the lease of the active watches whose lease is this instance's,
   * free or expired, narrowed by {@code only} (a condition whose parameters start at ?4).
   */
  private Uni<Integer> takeLeases(String only, Object... onlyParameters) {
    Instant now = clock.instant();
    Object[] parameters = new Object[3 + onlyParameters.length];
    parameters[0] = instance;
    parameters[1] = now.plus(settings.lease());
    parameters[2] = now;
    System.arraycopy(onlyParameters, 0, parameters, 3, onlyParameters.length);
    return WatchedCustomer.update(
        "leaseOwner = ?1, leaseUntil = ?2 where active = true and (leaseOwner = ?1 or leaseUntil"
            + " is null or leaseUntil < ?3)"
            + only,
        parameters);
  }

  /**
   * Probes one customer and records the verdict; true when its readiness is reported afterwards. A
   * customer being probed already (by the round or a first-readiness probe) is skipped.
   */
  private boolean probeAndRecord(WatchedCustomer customer) {
    String id = customer.customerId;
    if (!probing.add(id)) {
      return false;
    }
    try {
      return probeAndRecordAlone(customer);
    } finally {
      probing.remove(id);
    }
  }

  private boolean probeAndRecordAlone(WatchedCustomer customer) {
    String id = customer.customerId;
    ProbeReport report;
    try {
      TenantSecrets secrets = TenantSecrets.open(id, customer.credentials(), sealer);
      StackProber.Target target =
          new StackProber.Target(
              id,
              customer.routePath,
              customer.appPort,
              customer.dbPort,
              customer.redisPort,
              secrets);
      report = prober.probe(target);
    } catch (RuntimeException e) {
      LOG.warnf(
          "customer=%s step=AWAIT_HEALTHY outcome=probe-failed reason=\"%s\"", id, e.getMessage());
      return false;
    }
    Verdict verdict = Verdict.of(report);
    Instant now = clock.instant();
    currentHealth.put(id, verdict, report, now);
    metrics.record(id, verdict.health());
    if (report.queue() != null) {
      metrics.record(id, report.queue());
    }
    // READY ends the provisioning's trace: a span of its own there, ended once it is committed.
    AtomicReference<Span> ready = new AtomicReference<>(Span.getInvalid());
    try {
      boolean reported =
          VertxContextSupport.subscribeAndAwait(
              () ->
                  Panache.withTransaction(
                      () -> record(id, customer.generation, verdict, now, ready)));
      ready.get().end();
      return reported;
    } catch (Throwable e) {
      ready.get().setStatus(StatusCode.ERROR, "not recorded: " + e.getMessage()).end();
      LOG.warnf(
          "customer=%s step=AWAIT_HEALTHY outcome=record-failed reason=\"%s\"", id, e.getMessage());
      return false;
    }
  }

  /**
   * Records a verdict on the watch of {@code generation}; yields whether the customer's readiness
   * is reported afterwards. A READY it emits is written in a span it starts into {@code ready}, for
   * the caller to end. A verdict on a life that ended meanwhile (the watch gone, or started again
   * for a later generation) is dropped.
   */
  private Uni<Boolean> record(
      String id, int generation, Verdict verdict, Instant now, AtomicReference<Span> ready) {
    return WatchedCustomer.<WatchedCustomer>findById(id)
        .chain(
            customer -> {
              if (customer == null
                  || customer.generation != generation
                  || !customer.active
                  || !instance.equals(customer.leaseOwner)) {
                return Uni.createFrom().item(false);
              }
              HealthTransition.Outcome outcome = transition.apply(customer.state(), verdict, now);
              customer.state(outcome.next());
              log(id, verdict, outcome);
              return requestedAt(customer)
                  .chain(
                      requested -> {
                        List<LifecycleEvent> events =
                            events(customer, verdict, outcome, requested, now);
                        if (!events.isEmpty()) {
                          customer.lastEventId = events.get(events.size() - 1).meta().eventId();
                        }
                        if (outcome.ready()) {
                          ready.set(tracing.startSpan(READY_SPAN, id, customer.traceParent));
                        }
                        Context trace = Context.root().with(ready.get());
                        Uni<Void> chain = Uni.createFrom().voidItem();
                        for (LifecycleEvent event : events) {
                          chain = chain.chain(() -> outbox.add(event, trace));
                        }
                        return chain.replaceWith(outcome.next().readyReported());
                      });
            });
  }

  /** When the customer's run was requested; its routing time when the request was not seen. */
  private static Uni<Instant> requestedAt(WatchedCustomer customer) {
    return Panache.getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(
                        "SELECT requested_at FROM request_times WHERE correlation_id = :correlation",
                        Instant.class)
                    .setParameter("correlation", customer.correlationId)
                    .getResultList())
        .map(found -> found.isEmpty() ? customer.routedAt : found.get(0));
  }

  private List<LifecycleEvent> events(
      WatchedCustomer customer,
      Verdict verdict,
      HealthTransition.Outcome outcome,
      Instant requestedAt,
      Instant now) {
    List<LifecycleEvent> events = new ArrayList<>();
    UUID cause = customer.lastEventId;
    if (outcome.ready()) {
      long millis = Duration.between(requestedAt, now).toMillis();
      CustomerReady ready = new CustomerReady(meta(customer, cause, now), millis);
      events.add(ready);
      cause = ready.meta().eventId();
    }
    if (outcome.changed()) {
      CustomerHealthChanged changed =
          new CustomerHealthChanged(
              meta(customer, cause, now),
              verdict.health(),
              outcome.previous(),
              verdict.componentName(),
              verdict.error());
      events.add(changed);
      cause = changed.meta().eventId();
    }
    if (outcome.restart() != null) {
      HealthTransition.Restart restart = outcome.restart();
      String container =
          restart.component().container(new TenantNames(customer.customerId)).orElseThrow();
      events.add(
          new RestartRequested(
              meta(customer, cause, now),
              container,
              restart.component().wireName(),
              transition.roundsBeforeRestart(verdict)
                  + (verdict.timedOut()
                      ? " consecutive probes out of time: "
                      : " consecutive failed probes: ")
                  + verdict.error(),
              restart.number()));
      metrics.restartRequested(customer.customerId);
    }
    return events;
  }

  private static EventMeta meta(WatchedCustomer customer, UUID cause, Instant now) {
    return EventMeta.within(
        customer.customerId, customer.generation, customer.correlationId, cause, now);
  }

  private static void log(String id, Verdict verdict, HealthTransition.Outcome outcome) {
    if (outcome.ready() || outcome.changed() || outcome.restart() != null || outcome.gaveUp()) {
      LOG.infof(
          "customer=%s step=AWAIT_HEALTHY health=%s component=%s timed_out=%s ready=%s changed=%s"
              + " restart=%s gave_up=%s reason=\"%s\"",
          id,
          verdict.health(),
          verdict.componentName(),
          verdict.timedOut(),
          outcome.ready(),
          outcome.changed(),
          outcome.restart() == null ? "none" : outcome.restart().number(),
          outcome.gaveUp(),
          verdict.error() == null ? "" : verdict.error().replace('"', '\''));
    }
  }

  @PreDestroy
  void stop() {
    probes.shutdownNow();
  }
}
