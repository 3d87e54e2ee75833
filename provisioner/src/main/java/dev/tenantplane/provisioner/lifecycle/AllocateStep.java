package dev.tenantplane.provisioner.lifecycle;

import dev.tenantplane.common.crypto.EnvelopeSealer;
import dev.tenantplane.common.crypto.TenantSecrets;
import dev.tenantplane.common.events.CustomerRequested;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.ResourcesAllocated;
import dev.tenantplane.common.events.SealedEnvelope;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.naming.CustomerRequestRules;
import dev.tenantplane.common.naming.Plan;
import dev.tenantplane.kit.Commit;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.kit.StepRunner;
import dev.tenantplane.provisioner.allocation.Allocation;
import dev.tenantplane.provisioner.allocation.AllocationStore;
import dev.tenantplane.provisioner.allocation.PortAllocator;
import dev.tenantplane.provisioner.allocation.Withdrawals;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * CustomerRequested → ResourcesAllocated: reserves the customer's ports and network subnet and
 * generates its credentials, stored sealed. A customer that already has an allocation gets the same
 * one again: so does an archived customer brought back (a later generation), whose retained volumes
 * accept only the credentials they were made with; a suspended mark of its archived life is
 * cleared. Ports and subnet are chosen before the transaction and the row is written in the step's
 * commit. Nothing is allocated, and nothing emitted, for a request of a life whose deprovisioning
 * began (a withdrawal of its generation or a later one recorded), even one recorded while the ports
 * were being chosen. After a purge nothing of the id is left, so a later generation is allocated as
 * a new customer.
 */
@ApplicationScoped
public class AllocateStep {
  static final String CONSUMER = "provisioner.allocate";
  private static final Logger LOG = Logger.getLogger(AllocateStep.class);

  private final StepRunner runner;
  private final AllocationStore store;
  private final PortAllocator allocator;
  private final EnvelopeSealer sealer;
  private final Withdrawals withdrawals;
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;

  public AllocateStep(
      StepRunner runner,
      AllocationStore store,
      PortAllocator allocator,
      EnvelopeSealer sealer,
      Withdrawals withdrawals,
      Clock clock) {
    this.clock = clock;
    this.runner = runner;
    this.store = store;
    this.allocator = allocator;
    this.sealer = sealer;
    this.withdrawals = withdrawals;
  }

  @Incoming("customer-requested")
  public CompletionStage<Void> on(Message<byte[]> record) {
    return runner.submit(
        record, CONSUMER, Step.ALLOCATE_RESOURCES, CustomerRequested.class, this::reconcile);
  }

  Commit reconcile(CustomerRequested request) throws StepException {
    String id = request.customerId();
    var violations =
        CustomerRequestRules.check(id, request.name(), request.plan(), request.requestedPort());
    if (!violations.isEmpty()) {
      throw new StepException(
          "customer " + id + ": invalid request",
          false,
          violations.stream()
              .map(v -> v.field() + ": " + v.message())
              .collect(Collectors.joining("; ")));
    }
    Plan plan =
        request.plan() == null ? Plan.DEFAULT : Plan.ofWireName(request.plan()).orElseThrow();
    int generation = request.meta().generation();
    if (withdrawals.recorded(request.meta())) {
      logSkipped(request);
      return Commit.emit();
    }
    Optional<Allocation> existing = store.find(id);
    if (existing.isPresent()) {
      List<LifecycleEvent> events = List.of(allocated(request, existing.get()));
      if (existing.get().generation >= generation) {
        return Commit.emit(events.get(0));
      }
      // An archived customer brought back: the allocation now serves its new life, and its stack
      // runs as planned even if it was suspended when it was archived.
      return () ->
          store
              .recordGeneration(id, generation)
              .chain(() -> store.markResumed(id))
              .replaceWith(events);
    }
    PortAllocator.Candidates candidates = allocator.candidates(id, request.requestedPort());
    SealedEnvelope sealed = TenantSecrets.generate(random).seal(id, sealer);
    // The row is inserted in the step's transaction, beside the inbox and outbox rows: the
    // reservation and its ResourcesAllocated are committed together or not at all.
    return () ->
        withdrawals
            .lockedAndRecorded(request.meta())
            .chain(
                withdrawn -> {
                  if (withdrawn) {
                    logSkipped(request);
                    return Uni.createFrom().item(List.<LifecycleEvent>of());
                  }
                  return allocator
                      .reserve(
                          id, request.name(), plan, request.requestedPort(), candidates, sealed)
                      .call(() -> store.recordGeneration(id, generation))
                      .map(allocation -> List.<LifecycleEvent>of(allocated(request, allocation)));
                });
  }

  private static void logSkipped(CustomerRequested request) {
    LOG.infof(
        "customer=%s step=allocate outcome=skipped reason=withdrawn event=%s",
        request.customerId(), request.meta().eventId());
  }

  private ResourcesAllocated allocated(CustomerRequested request, Allocation allocation) {
    return new ResourcesAllocated(
        request.meta().next(clock),
        allocation.name,
        allocation.plan,
        allocation.ports(),
        allocation.credentials());
  }
}
