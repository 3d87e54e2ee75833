package dev.tenantplane.gateway.projection;

import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.Step;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Which step each event starts (it is the step's input) and which step it completes. */
public final class LifecycleSteps {
  private static final Map<EventType, Step> INPUT_OF = new EnumMap<>(EventType.class);
  private static final Map<EventType, Step> COMPLETES = new EnumMap<>(EventType.class);

  /**
   * The steps of provisioning and deprovisioning, in the order they run, and a restore, which
   * replaces a running stack's data and so leaves it FAILED when it fails for good.
   */
  private static final Set<Step> PIPELINE =
      EnumSet.of(
          Step.ALLOCATE_RESOURCES,
          Step.START_CONTAINERS,
          Step.MIGRATE_DATABASE,
          Step.PUBLISH_ROUTES,
          Step.AWAIT_HEALTHY,
          Step.RESTORE,
          Step.WITHDRAW_ROUTES,
          Step.REMOVE_CONTAINERS,
          Step.RELEASE_RESOURCES);

  static {
    INPUT_OF.put(EventType.CUSTOMER_REQUESTED, Step.ALLOCATE_RESOURCES);
    INPUT_OF.put(EventType.RESOURCES_ALLOCATED, Step.START_CONTAINERS);
    INPUT_OF.put(EventType.CONTAINERS_STARTED, Step.MIGRATE_DATABASE);
    INPUT_OF.put(EventType.DATABASE_MIGRATED, Step.PUBLISH_ROUTES);
    INPUT_OF.put(EventType.ROUTES_PUBLISHED, Step.AWAIT_HEALTHY);
    INPUT_OF.put(EventType.CUSTOMER_DEPROVISION_REQUESTED, Step.WITHDRAW_ROUTES);
    INPUT_OF.put(EventType.ROUTES_WITHDRAWN, Step.REMOVE_CONTAINERS);
    INPUT_OF.put(EventType.CONTAINERS_REMOVED, Step.RELEASE_RESOURCES);
    INPUT_OF.put(EventType.CUSTOMER_SUSPEND_REQUESTED, Step.SUSPEND);
    INPUT_OF.put(EventType.CUSTOMER_RESUME_REQUESTED, Step.RESUME);
    INPUT_OF.put(EventType.RESTART_REQUESTED, Step.RESTART);
    INPUT_OF.put(EventType.BACKUP_REQUESTED, Step.BACKUP);
    INPUT_OF.put(EventType.RESTORE_REQUESTED, Step.RESTORE);

    COMPLETES.put(EventType.RESOURCES_ALLOCATED, Step.ALLOCATE_RESOURCES);
    COMPLETES.put(EventType.CONTAINERS_STARTED, Step.START_CONTAINERS);
    COMPLETES.put(EventType.DATABASE_MIGRATED, Step.MIGRATE_DATABASE);
    COMPLETES.put(EventType.ROUTES_PUBLISHED, Step.PUBLISH_ROUTES);
    COMPLETES.put(EventType.CUSTOMER_READY, Step.AWAIT_HEALTHY);
    COMPLETES.put(EventType.ROUTES_WITHDRAWN, Step.WITHDRAW_ROUTES);
    COMPLETES.put(EventType.CONTAINERS_REMOVED, Step.REMOVE_CONTAINERS);
    COMPLETES.put(EventType.RESOURCES_RELEASED, Step.RELEASE_RESOURCES);
    COMPLETES.put(EventType.CUSTOMER_SUSPENDED, Step.SUSPEND);
    COMPLETES.put(EventType.CUSTOMER_RESUMED, Step.RESUME);
    COMPLETES.put(EventType.CONTAINER_RESTARTED, Step.RESTART);
    COMPLETES.put(EventType.BACKUP_COMPLETED, Step.BACKUP);
    COMPLETES.put(EventType.BACKUP_RESTORED, Step.RESTORE);
  }

  private LifecycleSteps() {}

  /** The step this event is the input of, whose retry re-emits it. */
  public static Optional<Step> inputOf(EventType type) {
    return Optional.ofNullable(INPUT_OF.get(type));
  }

  /** The event type that is the input of {@code step}. */
  public static Optional<EventType> inputTypeOf(Step step) {
    return INPUT_OF.entrySet().stream()
        .filter(e -> e.getValue() == step)
        .map(Map.Entry::getKey)
        .findFirst();
  }

  /**
   * Whether {@code step} belongs to the provisioning or deprovisioning pipeline, whose final
   * failure leaves the customer FAILED; the other steps (restart, suspend, resume, fleet migration)
   * act on a stack that stays as it was when they fail, as does a backup.
   */
  public static boolean isPipeline(Step step) {
    return PIPELINE.contains(step);
  }

  /** Whether {@code step} is one of provisioning's, from allocation to the first healthy probe. */
  public static boolean isProvisioning(Step step) {
    return PIPELINE.contains(step) && !isDeprovisioning(step);
  }

  private static boolean isDeprovisioning(Step step) {
    return step == Step.WITHDRAW_ROUTES
        || step == Step.REMOVE_CONTAINERS
        || step == Step.RELEASE_RESOURCES;
  }

  /** The step this event reports as done. */
  public static Optional<Step> completes(EventType type) {
    return Optional.ofNullable(COMPLETES.get(type));
  }
}
