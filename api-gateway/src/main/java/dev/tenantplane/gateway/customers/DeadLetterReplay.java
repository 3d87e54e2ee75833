package dev.tenantplane.gateway.customers;

import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.kafka.EventCodec;
import dev.tenantplane.gateway.Sql;
import dev.tenantplane.gateway.audit.Audit;
import dev.tenantplane.gateway.customers.CustomerCommands.Outcome;
import dev.tenantplane.gateway.customers.CustomerCommands.Result;
import dev.tenantplane.gateway.projection.CustomerStatus;
import dev.tenantplane.kit.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Base64;
import java.util.List;

/**
 * Replays a dead letter once: its event again, as a copy caused by the original (see {@link
 * EventCopy}), to the topic it came from. A FAILED customer's step is retried instead (the retry
 * also puts its status back), and a record no consumer could read is not replayed, since it would
 * only fail again.
 */
@ApplicationScoped
public class DeadLetterReplay {
  private final Outbox outbox;
  private final EventCodec codec;
  private final Clock clock;

  public DeadLetterReplay(Outbox outbox, EventCodec codec, Clock clock) {
    this.clock = clock;
    this.outbox = outbox;
    this.codec = codec;
  }

  /** Call inside a transaction; the caller publishes the outbox after the commit. */
  public Uni<Outcome> replay(long id, String actor) {
    return Sql.of(
            "SELECT customer_id, event_type, origin, CAST(replayed_at AS text), replayed_by,"
                + " encode(payload, 'base64') FROM dead_letter WHERE id = :id FOR UPDATE")
        .bind("id", id)
        .rows()
        .chain(
            rows -> {
              if (rows.isEmpty()) {
                return CustomerCommands.refused(Result.NOT_FOUND, "no dead letter " + id);
              }
              Object[] row = rows.get(0);
              String customer = (String) row[0];
              String type = (String) row[1];
              if (row[3] != null) {
                return CustomerCommands.refused(
                    Result.CONFLICT,
                    "dead letter " + id + " was replayed at " + row[3] + " by " + row[4]);
              }
              if (row[2] != null || type == null || EventType.ofWireType(type).isEmpty()) {
                return CustomerCommands.refused(
                    Result.CONFLICT,
                    "dead letter "
                        + id
                        + " is a record no consumer could read; a replay would"
                        + " fail the same way");
              }
              if (row[5] == null) {
                return CustomerCommands.refused(
                    Result.CONFLICT,
                    "dead letter "
                        + id
                        + " no longer holds its record: it was deleted when customer "
                        + customer
                        + " was deprovisioned");
              }
              byte[] payload = Base64.getMimeDecoder().decode((String) row[5]);
              return whenCustomerAllows(id, customer, type, payload, actor);
            });
  }

  private Uni<Outcome> whenCustomerAllows(
      long id, String customer, String type, byte[] payload, String actor) {
    return Sql.of("SELECT status, failed_step FROM customer WHERE id = :id FOR UPDATE")
        .bind("id", customer)
        .rows()
        .chain(
            (List<Object[]> rows) -> {
              String status = rows.isEmpty() ? null : (String) rows.get(0)[0];
              if (CustomerStatus.FAILED.name().equals(status)) {
                return CustomerCommands.refused(
                    Result.CONFLICT,
                    "customer "
                        + customer
                        + " is FAILED at "
                        + rows.get(0)[1]
                        + ": retry it (POST /api/v1/customers/"
                        + customer
                        + "/retry), which also puts its status back");
              }
              if (CustomerStatus.DEPROVISIONED.name().equals(status)
                  || CustomerStatus.ARCHIVED.name().equals(status)) {
                return CustomerCommands.refused(
                    Result.CONFLICT, "customer " + customer + " is " + status);
              }
              LifecycleEvent copy = EventCopy.of(codec, type, payload, null, clock);
              return outbox
                  .add(copy)
                  .chain(
                      () ->
                          Sql.of(
                                  "UPDATE dead_letter SET replayed_at = now(), replayed_by ="
                                      + " :actor, replay_event_id = CAST(:event AS uuid)"
                                      + " WHERE id = :id")
                              .bind("actor", actor)
                              .bind("event", copy.meta().eventId())
                              .bind("id", id)
                              .update())
                  .chain(
                      () ->
                          Audit.record(
                              actor,
                              "dead-letter-replayed",
                              copy.customerId(),
                              copy.meta().eventId(),
                              "dead letter " + id))
                  .replaceWith(Outcome.accepted(copy));
            });
  }
}
