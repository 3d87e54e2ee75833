package dev.tenantplane.health;

import dev.tenantplane.common.events.CustomerDeprovisionRequested;
import dev.tenantplane.common.events.CustomerRequested;
import dev.tenantplane.common.events.CustomerSuspendRequested;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.RestoreRequested;
import dev.tenantplane.common.events.RoutesPublished;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.kit.Commit;
import dev.tenantplane.kit.StepRunner;
import dev.tenantplane.kit.TraceHeaders;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/** Keeps the list of watched customers in step with the lifecycle. */
@ApplicationScoped
public class WatchConsumers {
  private static final Logger LOG = Logger.getLogger(WatchConsumers.class);

  private final StepRunner runner;
  private final FirstReadiness firstReadiness;

  public WatchConsumers(StepRunner runner, FirstReadiness firstReadiness) {
    this.runner = runner;
    this.firstReadiness = firstReadiness;
  }

  @Incoming("customer-requested")
  public CompletionStage<Void> onRequested(Message<byte[]> record) {
    return runner.submit(
        record,
        "health-monitor.requests",
        Step.AWAIT_HEALTHY,
        CustomerRequested.class,
        this::remember);
  }

  @Incoming("routes-published")
  public CompletionStage<Void> onRoutesPublished(Message<byte[]> record) {
    return runner.submit(
        record, "health-monitor.watch", Step.AWAIT_HEALTHY, RoutesPublished.class, this::watch);
  }

  /** Stops at the request: containers being stopped must not look like an outage. */
  @Incoming("suspend-requested")
  public CompletionStage<Void> onSuspendRequested(Message<byte[]> record) {
    return runner.submit(
        record,
        "health-monitor.unwatch-suspended",
        Step.SUSPEND,
        CustomerSuspendRequested.class,
        this::unwatch);
  }

  /** Stops at the request too: a restore stops the app, worker and Redis on purpose. */
  @Incoming("restore-requested")
  public CompletionStage<Void> onRestoreRequested(Message<byte[]> record) {
    return runner.submit(
        record,
        "health-monitor.unwatch-restored",
        Step.RESTORE,
        RestoreRequested.class,
        this::unwatch);
  }

  @Incoming("deprovision-requested")
  public CompletionStage<Void> onDeprovisionRequested(Message<byte[]> record) {
    return runner.submit(
        record,
        "health-monitor.unwatch-deprovisioned",
        Step.WITHDRAW_ROUTES,
        CustomerDeprovisionRequested.class,
        this::retire);
  }

  /** Remembers when the run was requested, unless it belongs to a life of the id that ended. */
  private Commit remember(CustomerRequested requested) {
    return () ->
        Lives.of(requested.customerId())
            .chain(
                lives ->
                    lives.ended(requested)
                        ? skip(requested, "requests")
                        : Panache.getSession()
                            .chain(
                                session ->
                                    session
                                        .createNativeQuery(
                                            "INSERT INTO request_times (correlation_id,"
                                                + " customer_id, requested_at) VALUES"
                                                + " (:correlation, :customer, :at)"
                                                + " ON CONFLICT DO NOTHING")
                                        .setParameter(
                                            "correlation", requested.meta().correlationId())
                                        .setParameter("customer", requested.customerId())
                                        .setParameter("at", requested.meta().time())
                                        .executeUpdate())
                            .replaceWithVoid())
            .replaceWith(List.<LifecycleEvent>of());
  }

  /**
   * Starts (or restarts, after a resume) watching: readiness is judged afresh. An event of a life
   * of the id that ended is left alone: its routes may have been published just before the
   * withdrawal and arrive after it. A later generation starts a watch of its own.
   */
  private Commit watch(RoutesPublished routes) {
    String id = routes.customerId();
    String traceParent = TraceHeaders.current().orElse(null);
    Commit watching =
        () ->
            WatchLock.hold(id)
                .chain(() -> Lives.of(id))
                .chain(
                    lives ->
                        lives.ended(routes)
                            ? skip(routes, "watch")
                            : startWatching(routes, traceParent))
                .replaceWith(List.<LifecycleEvent>of());
    return watching.andAfterCommit(() -> firstReadiness.chase(id));
  }

  /** A late event: one log line, nothing else. */
  private static Uni<Void> skip(LifecycleEvent event, String step) {
    LOG.infof(
        "customer=%s step=%s outcome=skipped reason=deprovisioned generation=%d event=%s",
        event.customerId(), step, event.meta().generation(), event.meta().eventId());
    return Uni.createFrom().voidItem();
  }

  private static Uni<Void> startWatching(RoutesPublished routes, String traceParent) {
    return WatchedCustomer.<WatchedCustomer>findById(routes.customerId())
        .chain(
            existing -> {
              WatchedCustomer watched = existing == null ? new WatchedCustomer() : existing;
              int generation = routes.meta().generation();
              if (watched.generation != generation) {
                // An ended life's lease is not this one's: a round probing it records nothing.
                watched.leaseOwner = null;
                watched.leaseUntil = null;
              }
              watched.customerId = routes.customerId();
              watched.generation = generation;
              watched.correlationId = routes.meta().correlationId();
              watched.lastEventId = routes.meta().eventId();
              watched.routePath = routes.path();
              watched.appPort = routes.ports().app();
              watched.dbPort = routes.ports().database();
              watched.redisPort = routes.ports().redis();
              watched.keyId = routes.credentials().keyId();
              watched.nonce = routes.credentials().nonce();
              watched.ciphertext = routes.credentials().ciphertext();
              watched.routedAt = routes.meta().time();
              watched.traceParent = traceParent;
              watched.active = true;
              watched.state(WatchState.fresh());
              return existing == null ? watched.persist() : Uni.createFrom().item(watched);
            })
        .replaceWithVoid();
  }

  /** Pauses the watch (suspend, restore), unless the event belongs to a life that ended. */
  private Commit unwatch(LifecycleEvent event) {
    String id = event.customerId();
    return () ->
        WatchLock.hold(id)
            .chain(() -> Lives.of(id))
            .chain(
                lives ->
                    lives.ended(event) ? skip(event, "unwatch") : deactivate(id).replaceWithVoid())
            .replaceWith(List.<LifecycleEvent>of());
  }

  /**
   * Stops watching the request's generation for good, and remembers it even when the watch has not
   * started yet. The watch row goes, and with it the copy of the customer's sealed credentials
   * (this service emits none). A request of a generation older than one already deprovisioned or
   * watched is late and changes nothing.
   */
  private Commit retire(CustomerDeprovisionRequested request) {
    String id = request.customerId();
    int generation = request.meta().generation();
    return () ->
        WatchLock.hold(id)
            .chain(() -> Lives.of(id))
            .chain(
                lives ->
                    lives.laterThan(generation)
                        ? skip(request, "retire")
                        : DeprovisionedCustomer.mark(id, generation, request.meta().time())
                            .chain(() -> WatchedCustomer.delete("customerId = ?1", id))
                            .replaceWithVoid())
            .replaceWith(List.<LifecycleEvent>of());
  }

  /**
   * What the monitor knows of the lives of a customer id: the latest generation deprovisioned and
   * the generation watched (0 for none).
   */
  private record Lives(int deprovisioned, int watched) {
    static Uni<Lives> of(String customerId) {
      return DeprovisionedCustomer.generation(customerId)
          .chain(
              deprovisioned ->
                  WatchedCustomer.generation(customerId)
                      .map(watched -> new Lives(deprovisioned, watched)));
    }

    /**
     * The event is late: its generation, or a later one, was deprovisioned, or a later one is
     * watched already.
     */
    boolean ended(LifecycleEvent event) {
      int generation = event.meta().generation();
      return generation <= deprovisioned || generation < watched;
    }

    /** A life later than {@code generation} was deprovisioned or is watched. */
    boolean laterThan(int generation) {
      return generation < deprovisioned || generation < watched;
    }
  }

  private static Uni<Integer> deactivate(String customerId) {
    return WatchedCustomer.update(
        "active = false, version = version + 1 where customerId = ?1", customerId);
  }
}
