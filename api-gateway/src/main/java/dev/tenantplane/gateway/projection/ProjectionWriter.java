package dev.tenantplane.gateway.projection;

import dev.tenantplane.common.events.CustomerDeprovisioned;
import dev.tenantplane.common.events.CustomerHealthChanged;
import dev.tenantplane.common.events.CustomerReady;
import dev.tenantplane.common.events.CustomerRequested;
import dev.tenantplane.common.events.DatabaseMigrated;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.Health;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.ResourcesAllocated;
import dev.tenantplane.common.events.RestartRequested;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.common.kafka.EventCodec;
import dev.tenantplane.common.naming.Plan;
import dev.tenantplane.gateway.Sql;
import dev.tenantplane.gateway.backups.BackupStore;
import dev.tenantplane.kit.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Writes one lifecycle event into the projection tables; runs inside the caller's transaction. */
@ApplicationScoped
public class ProjectionWriter {
  private final EventCodec codec;
  private final Outbox outbox;

  public ProjectionWriter(EventCodec codec, Outbox outbox) {
    this.codec = codec;
    this.outbox = outbox;
  }

  /**
   * Every event goes into the timeline; only one of the customer's current generation (or one that
   * creates the customer) changes anything else. An event of an earlier generation is a late one of
   * a life of the id that ended.
   */
  public Uni<Void> apply(LifecycleEvent event) {
    return recordTimeline(event)
        .chain(() -> ofCurrentLife(event))
        .chain(current -> current ? applyToCustomer(event) : Uni.createFrom().voidItem());
  }

  private static Uni<Boolean> ofCurrentLife(LifecycleEvent event) {
    return Sql.of("SELECT generation, id FROM customer WHERE id = :id FOR UPDATE")
        .bind("id", event.customerId())
        .rows()
        .map(
            rows ->
                rows.isEmpty()
                    || ((Number) rows.get(0)[0]).intValue() <= event.meta().generation());
  }

  private Uni<Void> applyToCustomer(LifecycleEvent event) {
    return rememberStepInput(event)
        .chain(() -> createIfRequested(event))
        .chain(() -> moveStatus(event))
        .chain(() -> recordDetails(event))
        .chain(() -> BackupStore.apply(event))
        .chain(() -> ArchiveRecords.apply(event))
        .chain(() -> forgetSealedCopies(event));
  }

  /**
   * Once a customer is deprovisioned nothing will retry or replay its steps, so the copies of its
   * events that hold its sealed credentials go: its step inputs, its dead letters' records (the
   * dead letters stay listed, without a record to replay) and the published outbox rows (retried
   * copies of its step inputs).
   */
  private Uni<Void> forgetSealedCopies(LifecycleEvent event) {
    if (!(event instanceof CustomerDeprovisioned)) {
      return Uni.createFrom().voidItem();
    }
    return Sql.of("DELETE FROM step_input WHERE customer_id = :customer")
        .bind("customer", event.customerId())
        .update()
        .chain(
            () ->
                Sql.of(
                        "UPDATE dead_letter SET payload = NULL"
                            + " WHERE customer_id = :customer AND payload IS NOT NULL")
                    .bind("customer", event.customerId())
                    .update())
        .chain(() -> outbox.forgetPublished(event.customerId()));
  }

  private Uni<Void> recordTimeline(LifecycleEvent event) {
    EventType type = EventType.of(event);
    Step step = LifecycleSteps.completes(type).orElse(null);
    Integer attempt = null;
    Boolean retryable = null;
    String reason = null;
    if (event instanceof StepFailed failed) {
      step = failed.step();
      attempt = failed.attempt();
      retryable = failed.retryable();
      reason = failed.reason();
    } else if (event instanceof RestartRequested restart) {
      attempt = restart.restartNumber();
      reason = restart.reason();
    } else if (event instanceof CustomerHealthChanged changed) {
      reason = changed.error();
    }
    return Sql.of(
            "INSERT INTO timeline (customer_id, generation, event_id, event_type, step,"
                + " occurred_at, attempt, retryable, reason) VALUES (:customer, :generation,"
                + " CAST(:event AS uuid), :type, CAST(:step AS text), CAST(:time AS timestamptz),"
                + " CAST(:attempt AS integer), CAST(:retryable AS boolean),"
                + " CAST(:reason AS text))"
                + " ON CONFLICT (event_id) DO NOTHING")
        .bind("customer", event.customerId())
        .bind("generation", event.meta().generation())
        .bind("event", event.meta().eventId())
        .bind("type", type.wireType())
        .bind("step", step == null ? null : step.name())
        .bind("time", Sql.utc(event.meta().time()))
        .bind("attempt", attempt)
        .bind("retryable", retryable)
        .bind("reason", reason)
        .update()
        .replaceWithVoid();
  }

  private Uni<Void> rememberStepInput(LifecycleEvent event) {
    EventType type = EventType.of(event);
    Optional<Step> step = LifecycleSteps.inputOf(type);
    if (step.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return Sql.of(
            "INSERT INTO step_input (customer_id, step, wire_type, payload, occurred_at)"
                + " SELECT :customer, :step, :type, :payload, CAST(:time AS timestamptz)"
                // A late step input of a deprovisioned customer is not kept: see
                // forgetSealedCopies.
                + " WHERE NOT EXISTS (SELECT 1 FROM customer WHERE id = :customer"
                + " AND status = 'DEPROVISIONED')"
                + " ON CONFLICT (customer_id, step) DO UPDATE SET wire_type = EXCLUDED.wire_type,"
                + " payload = EXCLUDED.payload, occurred_at = EXCLUDED.occurred_at"
                + " WHERE step_input.occurred_at <= EXCLUDED.occurred_at")
        .bind("customer", event.customerId())
        .bind("step", step.get().name())
        .bind("type", type.wireType())
        .bind("payload", new String(codec.toJson(event), StandardCharsets.UTF_8))
        .bind("time", Sql.utc(event.meta().time()))
        .update()
        .replaceWithVoid();
  }

  /**
   * A customer asked for outside this API (e.g. straight on the bus) still gets a row. If the port
   * it asked for is held by another customer, the row is written without it: which of the two gets
   * the port is the provisioner's to settle, and the projection must not lose the customer.
   */
  private Uni<Void> createIfRequested(LifecycleEvent event) {
    if (!(event instanceof CustomerRequested requested)) {
      return Uni.createFrom().voidItem();
    }
    return insertRequested(requested, requested.requestedPort())
        .chain(
            rows ->
                rows == 0 && requested.requestedPort() != null
                    ? insertRequested(requested, null)
                    : Uni.createFrom().item(rows))
        .replaceWithVoid();
  }

  private static Uni<Integer> insertRequested(CustomerRequested requested, Integer port) {
    return Sql.of(
            "INSERT INTO customer (id, name, plan, requested_port, status, status_rank,"
                + " status_time, status_run) VALUES (:id, :name, :plan,"
                + " CAST(:port AS integer), 'REQUESTED', 0, CAST(:time AS timestamptz),"
                + " CAST(:run AS uuid)) ON CONFLICT DO NOTHING")
        .bind("id", requested.customerId())
        .bind("name", requested.name())
        .bind("plan", requested.plan() == null ? Plan.DEFAULT.wireName() : requested.plan())
        .bind("port", port)
        .bind("time", Sql.utc(Instant.EPOCH))
        .bind("run", requested.meta().correlationId())
        .update();
  }

  private Uni<Void> moveStatus(LifecycleEvent event) {
    return currentPosition(event.customerId())
        .chain(
            current -> {
              if (current.isEmpty()) {
                return Uni.createFrom().voidItem();
              }
              return StatusMachine.next(current.get(), event)
                  .map(next -> storePosition(event, next))
                  .orElse(Uni.createFrom().voidItem());
            });
  }

  private Uni<Optional<StatusMachine.Position>> currentPosition(String customerId) {
    return Sql.of(
            "SELECT status, status_rank,"
                + " CAST(extract(epoch FROM status_time) * 1000000 AS bigint),"
                + " CAST(status_run AS text) FROM customer WHERE id = :id FOR UPDATE")
        .bind("id", customerId)
        .rows()
        .map(
            rows ->
                rows.stream()
                    .findFirst()
                    .map(
                        row ->
                            new StatusMachine.Position(
                                CustomerStatus.valueOf((String) row[0]),
                                ((Number) row[1]).intValue(),
                                micros(((Number) row[2]).longValue()),
                                UUID.fromString((String) row[3]))));
  }

  private Uni<Void> storePosition(LifecycleEvent event, StatusMachine.Position next) {
    boolean failed = next.status() == CustomerStatus.FAILED;
    Step failedStep = event instanceof StepFailed f ? f.step() : null;
    return Sql.of(
            "UPDATE customer SET status = :status, status_rank = :rank,"
                + " status_time = CAST(:time AS timestamptz), status_run = CAST(:run AS uuid),"
                + " failed_step = CAST(:step AS text), failed_event_id = CAST(:failed AS uuid),"
                + " updated_at = now() WHERE id = :id")
        .bind("status", next.status().name())
        .bind("rank", next.rank())
        .bind("time", Sql.utc(next.time()))
        .bind("run", next.run())
        .bind("step", failed && failedStep != null ? failedStep.name() : null)
        .bind("failed", failed ? event.meta().eventId() : null)
        .bind("id", event.customerId())
        .update()
        .replaceWithVoid();
  }

  private Uni<Void> recordDetails(LifecycleEvent event) {
    if (event instanceof ResourcesAllocated allocated && allocated.ports() != null) {
      return Sql.of(
              "UPDATE customer SET app_port = :app, database_port = :db, redis_port = :redis,"
                  + " updated_at = now() WHERE id = :id")
          .bind("app", allocated.ports().app())
          .bind("db", allocated.ports().database())
          .bind("redis", allocated.ports().redis())
          .bind("id", event.customerId())
          .update()
          .replaceWithVoid();
    }
    if (event instanceof DatabaseMigrated migrated && migrated.schemaVersion() != null) {
      return Sql.of(
              "UPDATE customer SET schema_version = :version, updated_at = now() WHERE id = :id")
          .bind("version", migrated.schemaVersion())
          .bind("id", event.customerId())
          .update()
          .replaceWithVoid();
    }
    if (event instanceof StepFailed failed) {
      // Once deprovisioning began, a provisioning step that fails because its stack is being
      // taken away is history (the timeline keeps it), not the customer's last error.
      return Sql.of(
              "UPDATE customer SET last_error_step = :step, last_error_reason = :reason,"
                  + " last_error_attempt = :attempt,"
                  + " last_error_time = CAST(:time AS timestamptz), updated_at = now()"
                  + " WHERE id = :id AND (last_error_time IS NULL"
                  + " OR last_error_time <= CAST(:time AS timestamptz))"
                  + " AND (:provisioning = false"
                  + " OR status NOT IN ('DEPROVISIONING', 'ARCHIVED', 'DEPROVISIONED'))")
          .bind("provisioning", LifecycleSteps.isProvisioning(failed.step()))
          .bind("step", failed.step().name())
          .bind("reason", failed.reason())
          .bind("attempt", failed.attempt())
          .bind("time", Sql.utc(event.meta().time()))
          .bind("id", event.customerId())
          .update()
          .replaceWithVoid();
    }
    if (event instanceof CustomerHealthChanged changed) {
      return storeHealth(event, changed.health(), changed.component(), changed.error());
    }
    if (event instanceof CustomerReady) {
      return storeHealth(event, Health.HEALTHY, null, null);
    }
    return Uni.createFrom().voidItem();
  }

  private Uni<Void> storeHealth(
      LifecycleEvent event, Health health, String component, String error) {
    return Sql.of(
            "UPDATE customer SET health = :health, health_component = CAST(:component AS text),"
                + " health_error = CAST(:error AS text),"
                + " health_time = CAST(:time AS timestamptz), updated_at = now()"
                + " WHERE id = :id AND (health_time IS NULL"
                + " OR health_time <= CAST(:time AS timestamptz))")
        .bind("health", health.name())
        .bind("component", component)
        .bind("error", error)
        .bind("time", Sql.utc(event.meta().time()))
        .bind("id", event.customerId())
        .update()
        .replaceWithVoid();
  }

  private static Instant micros(long micros) {
    return Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000);
  }
}
