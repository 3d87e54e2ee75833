package dev.tenantplane.migrator.steps;

import dev.tenantplane.common.events.CustomerArchived;
import dev.tenantplane.common.events.CustomerDeprovisioned;
import dev.tenantplane.common.events.CustomerResumed;
import dev.tenantplane.common.events.CustomerSuspended;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.kit.Commit;
import dev.tenantplane.kit.Outbox;
import dev.tenantplane.kit.StepRunner;
import dev.tenantplane.migrator.registry.CustomerRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Keeps the registry in step with the customer's lifecycle: a suspended customer is skipped by
 * fleet migrations until it resumes; a deprovisioned or archived one is forgotten, with the
 * published outbox rows that carried its sealed credentials (an archived customer brought back is
 * registered again by its ContainersStarted, of a later generation). Each changes only the row of
 * its own life (generation): a late event of a life that ended leaves a later one as it is, and
 * forgetting records the end, so that the ended life's late events are known as late. These are
 * bookkeeping of the migration step, so a failure is reported as MIGRATE_DATABASE.
 */
@ApplicationScoped
public class CustomerStatusSteps {
  private final StepRunner runner;
  private final CustomerRegistry registry;
  private final Outbox outbox;

  public CustomerStatusSteps(StepRunner runner, CustomerRegistry registry, Outbox outbox) {
    this.runner = runner;
    this.registry = registry;
    this.outbox = outbox;
  }

  @Incoming("customer-suspended")
  public CompletionStage<Void> onSuspended(Message<byte[]> record) {
    return runner.submit(
        record,
        "migrator.suspended",
        Step.MIGRATE_DATABASE,
        CustomerSuspended.class,
        e -> writeOnly(() -> registry.setActive(e.meta(), false)));
  }

  @Incoming("customer-resumed")
  public CompletionStage<Void> onResumed(Message<byte[]> record) {
    return runner.submit(
        record,
        "migrator.resumed",
        Step.MIGRATE_DATABASE,
        CustomerResumed.class,
        e -> writeOnly(() -> registry.setActive(e.meta(), true)));
  }

  @Incoming("customer-deprovisioned")
  public CompletionStage<Void> onDeprovisioned(Message<byte[]> record) {
    return runner.submit(
        record,
        "migrator.deprovisioned",
        Step.MIGRATE_DATABASE,
        CustomerDeprovisioned.class,
        e -> forget(e.meta()));
  }

  @Incoming("customer-archived")
  public CompletionStage<Void> onArchived(Message<byte[]> record) {
    return runner.submit(
        record,
        "migrator.archived",
        Step.MIGRATE_DATABASE,
        CustomerArchived.class,
        e -> forget(e.meta()));
  }

  private Commit forget(EventMeta event) {
    return writeOnly(
        () -> registry.forget(event).chain(() -> outbox.forgetPublished(event.customerId())));
  }

  private static Commit writeOnly(Supplier<Uni<Void>> write) {
    return () -> write.get().replaceWith(List.<LifecycleEvent>of());
  }
}
