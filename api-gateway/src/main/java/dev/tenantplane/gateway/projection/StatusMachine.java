package dev.tenantplane.gateway.projection;

import dev.tenantplane.common.events.CustomerHealthChanged;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.Health;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.events.StepFailed;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Decides whether an event moves a customer's status, so that duplicates and out-of-order
 * deliveries leave the status where the newest information puts it.
 *
 * <p>Each status-changing event has a rank: its position in the lifecycle. Within one run (one
 * correlation id, e.g. a provisioning with its retries) only a higher rank moves the status, so a
 * late ResourcesAllocated never undoes ROUTED whatever its clock says. Between runs (a suspend
 * after a provisioning) the later event time wins. Deprovisioning outranks everything before it and
 * DEPROVISIONED is final. ARCHIVED ends a deprovisioning without purge; the purge that may follow
 * is a later run, so its events move the customer on.
 */
public final class StatusMachine {
  static final int DEPROVISION_RANK = 100;
  private static final int FAILED_OFFSET = 5;

  private static final Map<EventType, CustomerStatus> STATUS = new EnumMap<>(EventType.class);
  private static final Map<EventType, Integer> RANK = new EnumMap<>(EventType.class);

  static {
    put(EventType.CUSTOMER_REQUESTED, CustomerStatus.REQUESTED, 10);
    put(EventType.RESOURCES_ALLOCATED, CustomerStatus.ALLOCATED, 20);
    put(EventType.CONTAINERS_STARTED, CustomerStatus.CONTAINERS_STARTED, 30);
    put(EventType.DATABASE_MIGRATED, CustomerStatus.MIGRATED, 40);
    put(EventType.ROUTES_PUBLISHED, CustomerStatus.ROUTED, 50);
    put(EventType.CUSTOMER_READY, CustomerStatus.READY, 60);
    put(EventType.CUSTOMER_SUSPENDED, CustomerStatus.SUSPENDED, 70);
    // Resumed containers run again; nginx's RoutesPublished and the health watch follow.
    put(EventType.CUSTOMER_RESUMED, CustomerStatus.CONTAINERS_STARTED, 30);
    // A restore's run goes on as a provisioning does: its ContainersStarted (30) moves it on.
    put(EventType.RESTORE_REQUESTED, CustomerStatus.RESTORING, 25);
    put(EventType.CUSTOMER_DEPROVISION_REQUESTED, CustomerStatus.DEPROVISIONING, 100);
    put(EventType.ROUTES_WITHDRAWN, CustomerStatus.DEPROVISIONING, 110);
    put(EventType.CONTAINERS_REMOVED, CustomerStatus.DEPROVISIONING, 120);
    put(EventType.RESOURCES_RELEASED, CustomerStatus.DEPROVISIONING, 130);
    put(EventType.CUSTOMER_ARCHIVED, CustomerStatus.ARCHIVED, 190);
    put(EventType.CUSTOMER_DEPROVISIONED, CustomerStatus.DEPROVISIONED, 200);
  }

  private StatusMachine() {}

  /** A customer's status with what is needed to order the next event against it. */
  public record Position(CustomerStatus status, int rank, Instant time, UUID run) {}

  /**
   * The position after {@code event}, or empty when the event leaves the status as it is.
   *
   * @param current the current position, or null for a customer not seen yet
   */
  public static Optional<Position> next(Position current, LifecycleEvent event) {
    Optional<Position> candidate = candidate(current, event);
    if (candidate.isEmpty() || current == null) {
      return candidate;
    }
    Position next = candidate.get();
    if (current.status() == CustomerStatus.DEPROVISIONED) {
      return Optional.empty();
    }
    boolean nextDeprovisions = next.rank() >= DEPROVISION_RANK;
    boolean currentDeprovisions = current.rank() >= DEPROVISION_RANK;
    if (nextDeprovisions != currentDeprovisions) {
      return nextDeprovisions ? candidate : Optional.empty();
    }
    boolean moves =
        next.run().equals(current.run())
            ? next.rank() > current.rank()
            : next.time().isAfter(current.time());
    return moves ? candidate : Optional.empty();
  }

  /** The position a retry of {@code step} returns the customer to: just before the step ran. */
  public static Optional<Position> beforeStep(Step step, Instant time, UUID run) {
    return LifecycleSteps.inputTypeOf(step)
        .flatMap(type -> Optional.ofNullable(STATUS.get(type)).map(s -> Map.entry(type, s)))
        .map(e -> new Position(e.getValue(), RANK.get(e.getKey()), time, run));
  }

  private static Optional<Position> candidate(Position current, LifecycleEvent event) {
    EventType type = EventType.of(event);
    Instant time = event.meta().time();
    UUID run = event.meta().correlationId();
    if (event instanceof StepFailed failed) {
      // Only the provisioning and deprovisioning pipelines leave a customer FAILED. A refused
      // side-step (restart, suspend, resume, a fleet migration that missed the customer) leaves
      // the stack as it was, so the failure is its last error and timeline entry, not a status:
      // a suspended customer stays SUSPENDED, a ready one READY.
      if (failed.retryable() || !LifecycleSteps.isPipeline(failed.step())) {
        return Optional.empty();
      }
      return Optional.of(new Position(CustomerStatus.FAILED, failedRank(failed.step()), time, run));
    }
    if (event instanceof CustomerHealthChanged changed) {
      // After a resume the health-monitor reports health rather than a second CustomerReady.
      boolean routedAndHealthy =
          current != null
              && current.status() == CustomerStatus.ROUTED
              && changed.health() == Health.HEALTHY;
      return routedAndHealthy
          ? Optional.of(
              new Position(
                  CustomerStatus.READY, RANK.get(EventType.CUSTOMER_READY), time, current.run()))
          : Optional.empty();
    }
    CustomerStatus status = STATUS.get(type);
    return status == null
        ? Optional.empty()
        : Optional.of(new Position(status, RANK.get(type), time, run));
  }

  private static int failedRank(Step step) {
    return LifecycleSteps.inputTypeOf(step)
        .map(type -> RANK.getOrDefault(type, 0) + FAILED_OFFSET)
        .orElse(FAILED_OFFSET);
  }

  private static void put(EventType type, CustomerStatus status, int rank) {
    STATUS.put(type, status);
    RANK.put(type, rank);
  }
}
