package dev.tenantplane.gateway.customers;

import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.gateway.Sql;
import dev.tenantplane.gateway.audit.Audit;
import dev.tenantplane.gateway.customers.CustomerCommands.Outcome;
import dev.tenantplane.gateway.customers.CustomerCommands.Result;
import dev.tenantplane.gateway.projection.CustomerStatus;
import dev.tenantplane.kit.Outbox;
import dev.tenantplane.kit.OutboxRelay;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * How every API command runs: one transaction for its state change, its audit row and its event
 * (through the outbox), then the relay publishes off the request thread. Once a command answered,
 * its event is never lost, only delayed.
 */
@ApplicationScoped
public class CommandTransaction {
  private static final Logger LOG = Logger.getLogger(CommandTransaction.class);

  private final Outbox outbox;
  private final OutboxRelay relay;

  public CommandTransaction(Outbox outbox, OutboxRelay relay) {
    this.outbox = outbox;
    this.relay = relay;
  }

  /** Runs {@code work} in one transaction; blocking. An accepted command's event goes out soon. */
  public Outcome run(Supplier<Uni<Outcome>> work) {
    Outcome outcome = Sql.await(() -> Panache.withTransaction(work));
    if (outcome.result() == Result.ACCEPTED) {
      LOG.infof(
          "step=api customer=%s event=%s type=%s outcome=accepted",
          outcome.event().customerId(),
          outcome.event().meta().eventId(),
          EventType.of(outcome.event()).wireType());
      relay.publishNow();
    }
    return outcome;
  }

  /**
   * Inside the transaction: locks the customer's row, refuses (NOT_FOUND, or CONFLICT naming the
   * status and {@code action}) unless its status is {@code allowed}, then runs {@code then} with
   * the customer's generation, which every event of the command carries.
   */
  public Uni<Outcome> whenStatus(
      String id, String action, Predicate<CustomerStatus> allowed, IntFunction<Uni<Outcome>> then) {
    return Sql.of("SELECT status, generation FROM customer WHERE id = :id FOR UPDATE")
        .bind("id", id)
        .rows()
        .chain(
            rows -> {
              if (rows.isEmpty()) {
                return CustomerCommands.refused(Result.NOT_FOUND, "no customer " + id);
              }
              CustomerStatus status = CustomerStatus.valueOf((String) rows.get(0)[0]);
              if (!allowed.test(status)) {
                return CustomerCommands.refused(
                    Result.CONFLICT, "customer " + id + " is " + status + " for " + action);
              }
              return then.apply(((Number) rows.get(0)[1]).intValue());
            });
  }

  /** Inside the transaction: the event into the outbox and its audit row; ACCEPTED. */
  public Uni<Outcome> emit(LifecycleEvent event, String actor, String action, String detail) {
    return outbox
        .add(event)
        .chain(
            () -> Audit.record(actor, action, event.customerId(), event.meta().eventId(), detail))
        .replaceWith(Outcome.accepted(event));
  }
}
