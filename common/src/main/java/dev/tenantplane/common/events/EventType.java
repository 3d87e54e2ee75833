package dev.tenantplane.common.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every event of the bus with its topic and its stable wire type (the CloudEvents {@code type}).
 *
 * <p>The wire type, not the Java class name, identifies an event on the wire: classes can be
 * renamed or moved freely, while a change to a wire type's JSON shape needs a new {@code .vN}.
 *
 * <p>Every event of one customer goes to one topic, {@link Topics#LIFECYCLE}, keyed by the customer
 * id, so each consumer sees a customer's events in the order they were published, whatever their
 * types; only the fleet's own events have topics of their own.
 */
public enum EventType {
  CUSTOMER_REQUESTED("customer.requested", CustomerRequested.class),
  RESOURCES_ALLOCATED("resources.allocated", ResourcesAllocated.class),
  CONTAINERS_STARTED("containers.started", ContainersStarted.class),
  DATABASE_MIGRATED("database.migrated", DatabaseMigrated.class),
  ROUTES_PUBLISHED("routes.published", RoutesPublished.class),
  CUSTOMER_READY("customer.ready", CustomerReady.class),
  CUSTOMER_DEPROVISION_REQUESTED(
      "customer.deprovision-requested", CustomerDeprovisionRequested.class),
  ROUTES_WITHDRAWN("routes.withdrawn", RoutesWithdrawn.class),
  CONTAINERS_REMOVED("containers.removed", ContainersRemoved.class),
  RESOURCES_RELEASED("resources.released", ResourcesReleased.class),
  CUSTOMER_DEPROVISIONED("customer.deprovisioned", CustomerDeprovisioned.class),
  CUSTOMER_ARCHIVED("customer.archived", CustomerArchived.class),
  STEP_FAILED("step.failed", StepFailed.class),
  CUSTOMER_HEALTH_CHANGED("customer.health-changed", CustomerHealthChanged.class),
  RESTART_REQUESTED("restart.requested", RestartRequested.class),
  CONTAINER_RESTARTED("container.restarted", ContainerRestarted.class),
  CUSTOMER_SUSPEND_REQUESTED("customer.suspend-requested", CustomerSuspendRequested.class),
  CUSTOMER_SUSPENDED("customer.suspended", CustomerSuspended.class),
  CUSTOMER_RESUME_REQUESTED("customer.resume-requested", CustomerResumeRequested.class),
  CUSTOMER_RESUMED("customer.resumed", CustomerResumed.class),
  FLEET_MIGRATION_REQUESTED(
      "fleet.migration-requested", FleetMigrationRequested.class, Topics.FLEET_MIGRATION_REQUESTED),
  FLEET_MIGRATION_COMPLETED(
      "fleet.migration-completed", FleetMigrationCompleted.class, Topics.FLEET_MIGRATION_COMPLETED),
  BACKUP_REQUESTED("backup.requested", BackupRequested.class),
  BACKUP_COMPLETED("backup.completed", BackupCompleted.class),
  RESTORE_REQUESTED("restore.requested", RestoreRequested.class),
  BACKUP_RESTORED("backup.restored", BackupRestored.class);

  private static final Map<String, EventType> BY_WIRE_TYPE =
      Arrays.stream(values()).collect(Collectors.toMap(EventType::wireType, Function.identity()));
  private static final Map<Class<?>, EventType> BY_CLASS =
      Arrays.stream(values()).collect(Collectors.toMap(EventType::javaType, Function.identity()));

  private final String topic;
  private final String wireType;
  private final Class<? extends LifecycleEvent> javaType;

  EventType(String subject, Class<? extends LifecycleEvent> javaType) {
    this(subject, javaType, Topics.LIFECYCLE);
  }

  EventType(String subject, Class<? extends LifecycleEvent> javaType, String topic) {
    this.topic = topic;
    this.wireType = Topics.PREFIX + subject + ".v" + EventMeta.SCHEMA_VERSION;
    this.javaType = javaType;
  }

  /** The Kafka topic carrying this event, keyed by customer id. */
  public String topic() {
    return topic;
  }

  /** The CloudEvents type, e.g. {@code tenantplane.customer.requested.v1}. */
  public String wireType() {
    return wireType;
  }

  public Class<? extends LifecycleEvent> javaType() {
    return javaType;
  }

  public static Optional<EventType> ofWireType(String wireType) {
    return Optional.ofNullable(BY_WIRE_TYPE.get(wireType));
  }

  public static EventType of(LifecycleEvent event) {
    return of(event.getClass());
  }

  public static EventType of(Class<? extends LifecycleEvent> javaType) {
    EventType type = BY_CLASS.get(javaType);
    if (type == null) {
      throw new IllegalArgumentException("unregistered event class " + javaType);
    }
    return type;
  }
}
