package dev.tenantplane.gateway.customers;

import dev.tenantplane.common.events.CustomerDeprovisionRequested;
import dev.tenantplane.common.events.CustomerRequested;
import dev.tenantplane.common.events.CustomerResumeRequested;
import dev.tenantplane.common.events.CustomerSuspendRequested;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.FleetMigrationRequested;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.naming.CustomerIds;
import dev.tenantplane.gateway.Sql;
import dev.tenantplane.gateway.fleet.FleetMigrationStore;
import dev.tenantplane.gateway.projection.CustomerStatus;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What the API asks of the platform for a customer's lifecycle and the fleet; each command runs as
 * a {@link CommandTransaction}. Backups have their own commands ({@code BackupCommands}).
 */
@ApplicationScoped
public class CustomerCommands {
  private static final Set<CustomerStatus> SUSPENDABLE =
      Set.of(
          CustomerStatus.READY,
          CustomerStatus.ROUTED,
          CustomerStatus.MIGRATED,
          CustomerStatus.CONTAINERS_STARTED,
          CustomerStatus.FAILED);
  private static final Set<CustomerStatus> GONE =
      Set.of(CustomerStatus.DEPROVISIONING, CustomerStatus.DEPROVISIONED);

  /** What a command did. {@code event} is set when it was accepted. */
  public record Outcome(Result result, LifecycleEvent event, String detail) {
    static Outcome accepted(LifecycleEvent event) {
      return new Outcome(Result.ACCEPTED, event, null);
    }

    static Outcome refused(Result result, String detail) {
      return new Outcome(result, null, detail);
    }
  }

  public enum Result {
    ACCEPTED,
    NOT_FOUND,
    CONFLICT,
    /** The requested port went to another customer whose request committed first. */
    PORT_HELD
  }

  /** A validated request for a new customer. */
  public record NewCustomer(String id, String name, String plan, Integer port) {}

  private final CommandTransaction transaction;
  private final StepRetry stepRetry;
  private final DeadLetterReplay deadLetterReplay;
  private final Clock clock;

  public CustomerCommands(
      CommandTransaction transaction,
      StepRetry stepRetry,
      DeadLetterReplay deadLetterReplay,
      Clock clock) {
    this.clock = clock;
    this.transaction = transaction;
    this.stepRetry = stepRetry;
    this.deadLetterReplay = deadLetterReplay;
  }

  /**
   * Records the customer and emits CustomerRequested; CONFLICT when the id is taken, PORT_HELD when
   * a concurrent request took the port first (the database's unique index decides). An id whose
   * customer was purged (DEPROVISIONED) is taken again: its row starts the id's next generation.
   * Blocking.
   */
  public Outcome request(NewCustomer request, String actor) {
    CustomerRequested first = requested(request, EventMeta.FIRST_GENERATION);
    // The insert comes first, as the only statement of a new id's request: concurrent requests
    // for one id or one port are decided by the database's unique indexes, not by a read before.
    return transaction.run(
        () ->
            Sql.of(
                    "INSERT INTO customer (id, name, plan, requested_port, status, status_rank,"
                        + " status_time, status_run) VALUES (:id, :name, :plan,"
                        + " CAST(:port AS integer), 'REQUESTED', 10,"
                        + " CAST(:time AS timestamptz), CAST(:run AS uuid))"
                        + " ON CONFLICT DO NOTHING")
                .bind("id", request.id())
                .bind("name", request.name())
                .bind("plan", request.plan())
                .bind("port", request.port())
                .bind("time", Sql.utc(first.meta().time()))
                .bind("run", first.meta().correlationId())
                .update()
                .chain(
                    rows ->
                        rows == 1
                            ? transaction.emit(first, actor, "customer-requested", null)
                            : notInserted(request, actor)));
  }

  /**
   * The insert met a unique index: the requested port's (no row for the id), or the id's, whose
   * customer is taken again when it was purged and is a conflict otherwise.
   */
  private Uni<Outcome> notInserted(NewCustomer request, String actor) {
    return Sql.of("SELECT status, generation FROM customer WHERE id = :id FOR UPDATE")
        .bind("id", request.id())
        .rows()
        .chain(
            rows -> {
              if (rows.isEmpty()) {
                return refused(
                    Result.PORT_HELD, "port " + request.port() + " is held by another customer");
              }
              CustomerStatus status = CustomerStatus.valueOf((String) rows.get(0)[0]);
              if (status != CustomerStatus.DEPROVISIONED) {
                return refused(
                    Result.CONFLICT,
                    "customer "
                        + request.id()
                        + " already exists ("
                        + status
                        + (status == CustomerStatus.ARCHIVED
                            ? "; bring it back with unarchive, or purge it first)"
                            : ")"));
              }
              CustomerRequested event =
                  requested(request, ((Number) rows.get(0)[1]).intValue() + 1);
              return CustomerLives.renew(
                      request.id(), request.name(), request.plan(), request.port(), event)
                  .chain(() -> transaction.emit(event, actor, "customer-requested", null));
            });
  }

  private CustomerRequested requested(NewCustomer request, int generation) {
    return new CustomerRequested(
        EventMeta.start(request.id(), generation, clock),
        request.name(),
        request.plan(),
        request.port());
  }

  /**
   * Brings an ARCHIVED customer back: its next generation is provisioned on the data, files and
   * ports its archiving kept, under its name and plan. Blocking.
   */
  public Outcome unarchive(String id, String actor) {
    return transaction.run(
        () ->
            transaction.whenStatus(
                id,
                "unarchive",
                status -> status == CustomerStatus.ARCHIVED,
                generation ->
                    Sql.of("SELECT name, plan, requested_port FROM customer WHERE id = :id")
                        .bind("id", id)
                        .rows()
                        .chain(
                            rows -> {
                              Object[] row = rows.get(0);
                              CustomerRequested event =
                                  requested(
                                      new NewCustomer(
                                          id,
                                          (String) row[0],
                                          (String) row[1],
                                          row[2] == null ? null : ((Number) row[2]).intValue()),
                                      generation + 1);
                              return CustomerLives.bringBack(id, event)
                                  .chain(
                                      () ->
                                          transaction.emit(
                                              event, actor, "unarchive-requested", null));
                            })));
  }

  /**
   * Takes the customer's stack down: with {@code purge} its data goes too (after a backup), without
   * it the customer ends ARCHIVED, holding its data until a later purge.
   */
  public Outcome deprovision(String id, boolean purge, String actor) {
    String action = "deprovision-requested";
    return transaction.run(
        () ->
            transaction.whenStatus(
                id,
                purge ? action + " with purge" : action + " without purge",
                status -> !GONE.contains(status) && (purge || status != CustomerStatus.ARCHIVED),
                generation ->
                    transaction.emit(
                        new CustomerDeprovisionRequested(
                            EventMeta.start(id, generation, clock), purge),
                        actor,
                        action,
                        "purge=" + purge)));
  }

  public Outcome suspend(String id, String actor) {
    return whenStatus(
        id,
        actor,
        "suspend-requested",
        SUSPENDABLE::contains,
        generation -> new CustomerSuspendRequested(EventMeta.start(id, generation, clock)));
  }

  public Outcome resume(String id, String actor) {
    return whenStatus(
        id,
        actor,
        "resume-requested",
        status -> status == CustomerStatus.SUSPENDED,
        generation -> new CustomerResumeRequested(EventMeta.start(id, generation, clock)));
  }

  public Outcome fleetMigration(int maxConcurrency, String actor) {
    FleetMigrationRequested event =
        new FleetMigrationRequested(EventMeta.start(CustomerIds.FLEET, clock), maxConcurrency);
    return commit(
        event,
        actor,
        "fleet-migration-requested",
        () -> FleetMigrationStore.requested(event, actor).replaceWith(Outcome.accepted(event)));
  }

  /** Re-emits the input event of the step a FAILED customer is stuck at; see {@link StepRetry}. */
  public Outcome retry(String id, String actor) {
    return transaction.run(() -> stepRetry.retry(id, actor));
  }

  /** Emits the event of dead letter {@code id} again, once; see {@link DeadLetterReplay}. */
  public Outcome replayDeadLetter(long id, String actor) {
    return transaction.run(() -> deadLetterReplay.replay(id, actor));
  }

  private Outcome whenStatus(
      String id,
      String actor,
      String action,
      Predicate<CustomerStatus> allowed,
      IntFunction<LifecycleEvent> event) {
    return transaction.run(
        () ->
            transaction.whenStatus(
                id,
                action,
                allowed,
                generation -> transaction.emit(event.apply(generation), actor, action, null)));
  }

  private Outcome commit(
      LifecycleEvent event, String actor, String action, Supplier<Uni<Outcome>> stateChange) {
    return transaction.run(
        () ->
            stateChange
                .get()
                .chain(
                    outcome ->
                        outcome.result() != Result.ACCEPTED
                            ? Uni.createFrom().item(outcome)
                            : transaction.emit(event, actor, action, null)));
  }

  /** A refused command, as a step of a command's transaction. */
  public static Uni<Outcome> refused(Result result, String detail) {
    return Uni.createFrom().item(Outcome.refused(result, detail));
  }
}
