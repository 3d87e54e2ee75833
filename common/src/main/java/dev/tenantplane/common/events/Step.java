package dev.tenantplane.common.events;

/** The retryable steps of the customer lifecycle, as named in StepFailed and the timeline. */
public enum Step {
  ALLOCATE_RESOURCES,
  START_CONTAINERS,
  MIGRATE_DATABASE,
  PUBLISH_ROUTES,
  AWAIT_HEALTHY,
  WITHDRAW_ROUTES,
  REMOVE_CONTAINERS,
  RELEASE_RESOURCES,
  SUSPEND,
  RESUME,
  RESTART,
  MIGRATE_FLEET,
  BACKUP,
  RESTORE
}
