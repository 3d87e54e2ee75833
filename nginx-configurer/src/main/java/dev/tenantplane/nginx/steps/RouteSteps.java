package dev.tenantplane.nginx.steps;

import dev.tenantplane.common.events.CustomerDeprovisionRequested;
import dev.tenantplane.common.events.CustomerResumed;
import dev.tenantplane.common.events.CustomerSuspended;
import dev.tenantplane.common.events.DatabaseMigrated;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.RestoreRequested;
import dev.tenantplane.common.events.RoutesPublished;
import dev.tenantplane.common.events.RoutesWithdrawn;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.common.naming.CustomerIds;
import dev.tenantplane.kit.Commit;
import dev.tenantplane.kit.Outbox;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.kit.StepRunner;
import dev.tenantplane.nginx.apply.NginxException;
import dev.tenantplane.nginx.apply.NginxRejectedException;
import dev.tenantplane.nginx.render.NginxConfigRenderer;
import dev.tenantplane.nginx.route.Route;
import dev.tenantplane.nginx.route.RouteReconciler;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The four route steps: publish on DatabaseMigrated, 503 on CustomerSuspended, publish again on
 * CustomerResumed, withdraw on CustomerDeprovisionRequested. Each validates its input before
 * anything is written, then lets {@link RouteReconciler} change the table and nginx together. Once
 * a generation of a customer is withdrawn, every step skips the events of that generation (or an
 * earlier one) and emits nothing: they can still arrive late, but that life of the id is over. A
 * later generation (the id used again) is routed as a new customer.
 */
@ApplicationScoped
public class RouteSteps {
  private static final Logger LOG = Logger.getLogger(RouteSteps.class);

  private final StepRunner runner;
  private final RouteReconciler routes;
  private final Outbox outbox;
  private final Clock clock;

  public RouteSteps(StepRunner runner, RouteReconciler routes, Outbox outbox, Clock clock) {
    this.outbox = outbox;
    this.clock = clock;
    this.runner = runner;
    this.routes = routes;
  }

  @Incoming("database-migrated")
  public CompletionStage<Void> onMigrated(Message<byte[]> record) {
    return runner.submit(
        record,
        "nginx-configurer.publish",
        Step.PUBLISH_ROUTES,
        DatabaseMigrated.class,
        this::publish);
  }

  @Incoming("customer-suspended")
  public CompletionStage<Void> onSuspended(Message<byte[]> record) {
    return runner.submit(
        record, "nginx-configurer.suspend", Step.SUSPEND, CustomerSuspended.class, this::suspend);
  }

  @Incoming("customer-resumed")
  public CompletionStage<Void> onResumed(Message<byte[]> record) {
    return runner.submit(
        record, "nginx-configurer.resume", Step.RESUME, CustomerResumed.class, this::resume);
  }

  @Incoming("restore-requested")
  public CompletionStage<Void> onRestoreRequested(Message<byte[]> record) {
    return runner.submit(
        record,
        "nginx-configurer.pause-restore",
        // A failure here is nginx's, reported as the route step's, not as the restore's.
        Step.PUBLISH_ROUTES,
        RestoreRequested.class,
        this::pauseForRestore);
  }

  @Incoming("step-failed")
  public CompletionStage<Void> onStepFailed(Message<byte[]> record) {
    return runner.submit(
        record,
        "nginx-configurer.restore-failed",
        // Not RESTORE: this step's own final failure must not come back to it as a failed restore.
        Step.PUBLISH_ROUTES,
        StepFailed.class,
        this::endRestorePause);
  }

  @Incoming("customer-deprovision-requested")
  public CompletionStage<Void> onDeprovisionRequested(Message<byte[]> record) {
    return runner.submit(
        record,
        "nginx-configurer.withdraw",
        Step.WITHDRAW_ROUTES,
        CustomerDeprovisionRequested.class,
        this::withdraw);
  }

  Commit publish(DatabaseMigrated event) throws StepException {
    String id = event.customerId();
    Optional<String> problem = Route.problem(id, event.ports());
    if (problem.isPresent()) {
      throw refused(event, problem.get());
    }
    RouteReconciler.Outcome outcome =
        change(
            event,
            "publish",
            current ->
                Optional.of(
                    new Route(
                        id,
                        event.ports(),
                        event.credentials(),
                        current.map(Route::suspended).orElse(false),
                        // The migration after a restore ends the restore's pause.
                        false)));
    if (outcome.late()) {
      return Commit.emit();
    }
    return Commit.emit(published(event, outcome.route().orElseThrow()));
  }

  Commit suspend(CustomerSuspended event) throws StepException {
    requireValidId(event);
    RouteReconciler.Outcome outcome =
        change(event, "suspend", current -> current.map(r -> r.withSuspended(true)));
    if (!outcome.late() && outcome.route().isEmpty()) {
      LOG.infof("customer=%s step=suspend outcome=no-route", event.customerId());
    }
    return Commit.emit();
  }

  Commit resume(CustomerResumed event) throws StepException {
    requireValidId(event);
    RouteReconciler.Outcome outcome =
        change(event, "resume", current -> current.map(r -> r.withSuspended(false)));
    if (outcome.late()) {
      return Commit.emit();
    }
    if (outcome.route().isEmpty()) {
      LOG.infof("customer=%s step=resume outcome=no-route", event.customerId());
      return Commit.emit();
    }
    return Commit.emit(published(event, outcome.route().get()));
  }

  /**
   * The stack is about to stop for a restore: its route answers 503 until it is published again.
   */
  Commit pauseForRestore(RestoreRequested event) throws StepException {
    requireValidId(event);
    RouteReconciler.Outcome outcome =
        change(event, "pause-restore", current -> current.map(r -> r.withRestoring(true)));
    if (!outcome.late() && outcome.route().isEmpty()) {
      LOG.infof("customer=%s step=pause-restore outcome=no-route", event.customerId());
    }
    return Commit.emit();
  }

  /**
   * A restore that failed for good (refused before anything stopped, or given up) publishes no
   * route, so its pause ends here; other failures are not this step's.
   */
  Commit endRestorePause(StepFailed event) throws StepException {
    if (event.step() != Step.RESTORE || event.retryable()) {
      return Commit.emit();
    }
    requireValidId(event);
    change(event, "end-restore-pause", current -> current.map(r -> r.withRestoring(false)));
    return Commit.emit();
  }

  Commit withdraw(CustomerDeprovisionRequested event) throws StepException {
    requireValidId(event);
    RouteReconciler.Outcome outcome =
        reconcile(
            event,
            "withdraw",
            () -> routes.withdraw(event.customerId(), event.meta().generation()));
    if (outcome.late()) {
      logLate(event, "withdraw");
      return Commit.emit();
    }
    logApplied(event, "withdraw", outcome.reloaded());
    // The RoutesPublished rows carried the customer's sealed credentials; the route is gone now.
    List<LifecycleEvent> withdrawn =
        List.of(new RoutesWithdrawn(event.meta().next(clock), event.purge()));
    return () -> outbox.forgetPublished(event.customerId()).replaceWith(withdrawn);
  }

  private RoutesPublished published(LifecycleEvent cause, Route route) {
    return new RoutesPublished(
        cause.meta().next(clock),
        routes.hostName(route.customerId()),
        NginxConfigRenderer.path(route.customerId()),
        route.ports(),
        route.credentials());
  }

  /**
   * Changes the customer's route. An event of a withdrawn generation of the customer is late, not
   * failing: the change is skipped and the step emits nothing.
   */
  private RouteReconciler.Outcome change(
      LifecycleEvent event, String step, UnaryOperator<Optional<Route>> desired)
      throws StepException {
    RouteReconciler.Outcome outcome =
        reconcile(
            event,
            step,
            () -> routes.change(event.customerId(), event.meta().generation(), desired));
    if (outcome.late()) {
      logLate(event, step);
    } else {
      logApplied(event, step, outcome.reloaded());
    }
    return outcome;
  }

  private static void logLate(LifecycleEvent event, String step) {
    LOG.infof(
        "customer=%s step=%s outcome=skipped reason=withdrawn generation=%d event=%s",
        event.customerId(), step, event.meta().generation(), event.meta().eventId());
  }

  private static void logApplied(LifecycleEvent event, String step, boolean reloaded) {
    LOG.infof(
        "customer=%s step=%s outcome=applied reloaded=%s event=%s",
        event.customerId(), step, reloaded, event.meta().eventId());
  }

  /** Work on the routes table and nginx. */
  @FunctionalInterface
  private interface RouteWork<T> {
    T run() throws SQLException, NginxException;
  }

  /** Runs {@code work}, turning its failures into the step's failure with customer and step. */
  private static <T> T reconcile(LifecycleEvent event, String step, RouteWork<T> work)
      throws StepException {
    String id = event.customerId();
    try {
      return work.run();
    } catch (NginxRejectedException e) {
      throw new StepException(
          "nginx rejected the configuration for customer "
              + id
              + " (step "
              + step
              + "): "
              + e.getMessage(),
          false,
          e.getMessage());
    } catch (NginxException e) {
      throw new StepException(
          "nginx could not apply the routes for customer "
              + id
              + " (step "
              + step
              + "): "
              + e.getMessage(),
          true,
          e.getMessage());
    } catch (SQLException e) {
      throw new StepException(
          "routes table unavailable for customer " + id + " (step " + step + ")",
          true,
          e.getMessage());
    }
  }

  private static void requireValidId(LifecycleEvent event) throws StepException {
    Optional<String> problem = CustomerIds.problem(event.customerId());
    if (problem.isPresent()) {
      throw refused(event, "invalid customer id: " + problem.get());
    }
  }

  private static StepException refused(LifecycleEvent event, String problem) {
    return new StepException(
        "refused route for customer '" + printable(event.customerId()) + "': " + problem,
        false,
        "nothing was written");
  }

  /** A hostile id may hold control characters; they never reach a log line or event as such. */
  private static String printable(String text) {
    return text == null ? "" : text.replaceAll("\\p{Cntrl}", "?");
  }
}
