package dev.tenantplane.kit;

import dev.tenantplane.common.events.LifecycleEvent;

/**
 * One reconcile step: bring the world to what the event asks for, then say what to record.
 *
 * <p>{@link #reconcile} may block (Docker, nginx, a tenant database) and must be idempotent: a
 * redelivery or a retry after a crash halfway calls it again with the same event. What it returns
 * runs in one transaction with the inbox row, so the step's state and its events are committed
 * together or not at all.
 */
@FunctionalInterface
public interface StepHandler<E extends LifecycleEvent> {
  Commit reconcile(E event) throws Exception;
}
