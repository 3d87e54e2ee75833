package dev.tenantplane.kit;

import dev.tenantplane.common.events.LifecycleEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Remembers which events each consumer has handled, so that a redelivered event changes nothing the
 * second time.
 */
@ApplicationScoped
public class Inbox {

  /** Whether {@code consumer} has already handled the event with this id. */
  public Uni<Boolean> handled(String consumer, UUID eventId) {
    return Panache.getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(
                        "SELECT count(*) FROM inbox WHERE consumer = :consumer AND event_id ="
                            + " :eventId",
                        Long.class)
                    .setParameter("consumer", consumer)
                    .setParameter("eventId", eventId)
                    .getSingleResult())
        .map(count -> count > 0);
  }

  /**
   * Records the event as handled with {@code outcome}; call in the transaction of the handling.
   *
   * @return false when another delivery recorded it first (the caller then rolls back)
   */
  public Uni<Boolean> record(String consumer, LifecycleEvent event, String outcome) {
    return Panache.getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(
                        "INSERT INTO inbox (consumer, event_id, customer_id, outcome)"
                            + " VALUES (:consumer, :eventId, :customer, :outcome)"
                            + " ON CONFLICT DO NOTHING")
                    .setParameter("consumer", consumer)
                    .setParameter("eventId", event.meta().eventId())
                    .setParameter("customer", event.customerId())
                    .setParameter("outcome", outcome)
                    .executeUpdate())
        .map(rows -> rows == 1);
  }
}
