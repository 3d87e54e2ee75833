package dev.tenantplane.gateway.customers;

import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.kafka.EventCodec;
import dev.tenantplane.gateway.Sql;
import dev.tenantplane.gateway.audit.Audit;
import dev.tenantplane.gateway.customers.CustomerCommands.Outcome;
import dev.tenantplane.gateway.customers.CustomerCommands.Result;
import dev.tenantplane.gateway.projection.CustomerStatus;
import dev.tenantplane.gateway.projection.StatusMachine;
import dev.tenantplane.kit.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;

/**
 * Retries the step a FAILED customer is stuck at: re-emits the step's last input event (kept by the
 * projection) as a copy with a new event id whose cause is the failure, in the same run, and puts
 * the customer back to the status before that step.
 */
@ApplicationScoped
public class StepRetry {
  private final Outbox outbox;
  private final EventCodec codec;
  private final Clock clock;

  public StepRetry(Outbox outbox, EventCodec codec, Clock clock) {
    this.clock = clock;
    this.outbox = outbox;
    this.codec = codec;
  }

  /** Call inside a transaction; the caller publishes the outbox after the commit. */
  public Uni<Outcome> retry(String id, String actor) {
    return Sql.of(
            "SELECT status, failed_step, CAST(failed_event_id AS text) FROM customer"
                + " WHERE id = :id FOR UPDATE")
        .bind("id", id)
        .rows()
        .chain(
            rows -> {
              if (rows.isEmpty()) {
                return CustomerCommands.refused(Result.NOT_FOUND, "no customer " + id);
              }
              Object[] row = rows.get(0);
              if (!CustomerStatus.FAILED.name().equals(row[0]) || row[1] == null) {
                return CustomerCommands.refused(
                    Result.CONFLICT,
                    "customer " + id + " is " + row[0] + "; only FAILED can be retried");
              }
              Step step = Step.valueOf((String) row[1]);
              UUID failedEvent = row[2] == null ? null : UUID.fromString((String) row[2]);
              return retryStep(id, step, failedEvent, actor);
            });
  }

  private Uni<Outcome> retryStep(String id, Step step, UUID failedEvent, String actor) {
    return Sql.of(
            "SELECT wire_type, payload FROM step_input WHERE customer_id = :id AND step = :step")
        .bind("id", id)
        .bind("step", step.name())
        .rows()
        .chain(
            rows -> {
              if (rows.isEmpty()) {
                return CustomerCommands.refused(
                    Result.CONFLICT,
                    "customer " + id + " failed at " + step + " but its input was never seen");
              }
              LifecycleEvent copy =
                  EventCopy.of(
                      codec,
                      (String) rows.get(0)[0],
                      ((String) rows.get(0)[1]).getBytes(StandardCharsets.UTF_8),
                      failedEvent,
                      clock);
              var before =
                  StatusMachine.beforeStep(step, copy.meta().time(), copy.meta().correlationId());
              Uni<Integer> reset =
                  before
                      .map(
                          position ->
                              Sql.of(
                                      "UPDATE customer SET status = :status, status_rank = :rank,"
                                          + " status_time = CAST(:time AS timestamptz),"
                                          + " status_run = CAST(:run AS uuid), failed_step = NULL,"
                                          + " failed_event_id = NULL, updated_at = now()"
                                          + " WHERE id = :id")
                                  .bind("status", position.status().name())
                                  .bind("rank", position.rank())
                                  .bind("time", Sql.utc(position.time()))
                                  .bind("run", position.run())
                                  .bind("id", id)
                                  .update())
                      .orElse(Uni.createFrom().item(0));
              return reset
                  .chain(() -> outbox.add(copy))
                  .chain(
                      () ->
                          Audit.record(
                              actor, "retry-requested", id, copy.meta().eventId(), step.name()))
                  .replaceWith(Outcome.accepted(copy));
            });
  }
}
