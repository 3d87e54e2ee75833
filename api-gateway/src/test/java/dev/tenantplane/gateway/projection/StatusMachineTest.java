package dev.tenantplane.gateway.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.events.ContainersRemoved;
import dev.tenantplane.common.events.ContainersStarted;
import dev.tenantplane.common.events.CustomerArchived;
import dev.tenantplane.common.events.CustomerDeprovisionRequested;
import dev.tenantplane.common.events.CustomerDeprovisioned;
import dev.tenantplane.common.events.CustomerHealthChanged;
import dev.tenantplane.common.events.CustomerReady;
import dev.tenantplane.common.events.CustomerRequested;
import dev.tenantplane.common.events.CustomerResumed;
import dev.tenantplane.common.events.CustomerSuspended;
import dev.tenantplane.common.events.DatabaseMigrated;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.Health;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.ResourcesAllocated;
import dev.tenantplane.common.events.RestoreRequested;
import dev.tenantplane.common.events.RoutesPublished;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.gateway.LifecycleScript;
import dev.tenantplane.gateway.projection.StatusMachine.Position;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StatusMachineTest {
  private static final String ID = "acme-corp";
  private final Instant start = Instant.parse("2026-01-01T10:00:00Z");

  @Test
  void provisioningEventsInOrderReachReady() {
    EventMeta first = meta(0);
    Position position = apply(null, new CustomerRequested(first, "ACME", "standard", null));
    position =
        apply(position, new ResourcesAllocated(next(first, 1), "ACME", "standard", null, null));
    position = apply(position, new DatabaseMigrated(next(first, 2), "v1", null, null));
    position = apply(position, new RoutesPublished(next(first, 3), "h", "/", null, null));
    position = apply(position, new CustomerReady(next(first, 4), 4000));

    assertThat(position.status()).isEqualTo(CustomerStatus.READY);
  }

  @Test
  void lateEventOfTheSameRunNeverMovesStatusBackEvenWithALaterClock() {
    EventMeta first = meta(0);
    Position routed =
        apply(
            apply(null, new CustomerRequested(first, "ACME", "standard", null)),
            new RoutesPublished(next(first, 3), "h", "/", null, null));

    ResourcesAllocated late = new ResourcesAllocated(next(first, 10), "ACME", "small", null, null);

    assertThat(StatusMachine.next(routed, late)).isEmpty();
  }

  @Test
  void duplicateEventLeavesStatusAsItIs() {
    EventMeta first = meta(0);
    ResourcesAllocated allocated =
        new ResourcesAllocated(next(first, 1), "ACME", "standard", null, null);
    Position position =
        apply(apply(null, new CustomerRequested(first, "ACME", "s", null)), allocated);

    assertThat(StatusMachine.next(position, allocated)).isEmpty();
  }

  @Test
  void finalStepFailureFailsTheCustomerButARetryableOneDoesNot() {
    EventMeta first = meta(0);
    Position allocated =
        apply(
            apply(null, new CustomerRequested(first, "ACME", "s", null)),
            new ResourcesAllocated(next(first, 1), "ACME", "s", null, null));

    StepFailed retryable =
        new StepFailed(next(first, 2), Step.START_CONTAINERS, 1, "port busy", true, null);
    StepFailed last =
        new StepFailed(next(first, 3), Step.START_CONTAINERS, 4, "port busy", false, null);

    assertThat(StatusMachine.next(allocated, retryable)).isEmpty();
    assertThat(apply(allocated, last).status()).isEqualTo(CustomerStatus.FAILED);
  }

  @Test
  void failureOfAnEarlierStepArrivingLateDoesNotFailACustomerThatMovedOn() {
    EventMeta first = meta(0);
    Position routed =
        apply(
            apply(null, new CustomerRequested(first, "ACME", "s", null)),
            new RoutesPublished(next(first, 3), "h", "/", null, null));

    StepFailed stale =
        new StepFailed(next(first, 5), Step.ALLOCATE_RESOURCES, 4, "no ports", false, null);

    assertThat(StatusMachine.next(routed, stale)).isEmpty();
  }

  @Test
  void retryPutsTheCustomerBeforeTheFailedStepSoItsResultMovesOn() {
    UUID run = UUID.randomUUID();
    Position before = StatusMachine.beforeStep(Step.START_CONTAINERS, start, run).orElseThrow();

    assertThat(before.status()).isEqualTo(CustomerStatus.ALLOCATED);
    assertThat(before.run()).isEqualTo(run);
  }

  @Test
  void laterRunWinsByTimeAndAnOlderRunsLateEventIsIgnored() {
    EventMeta provisioning = meta(0);
    Position ready =
        apply(
            apply(null, new CustomerRequested(provisioning, "ACME", "s", null)),
            new CustomerReady(next(provisioning, 4), 4000));
    Position suspended = apply(ready, new CustomerSuspended(meta(100)));

    RoutesPublished staleFromProvisioning =
        new RoutesPublished(next(provisioning, 3), "h", "/", null, null);

    assertThat(suspended.status()).isEqualTo(CustomerStatus.SUSPENDED);
    assertThat(StatusMachine.next(suspended, staleFromProvisioning)).isEmpty();
  }

  @Test
  void resumedCustomerBecomesReadyAgainWhenRoutedAndHealthy() {
    Position suspended = apply(null, new CustomerSuspended(meta(100)));
    EventMeta resume = meta(200);
    Position resumed = apply(suspended, new CustomerResumed(resume));
    Position routed = apply(resumed, new RoutesPublished(next(resume, 1), "h", "/", null, null));
    Position healthy =
        apply(
            routed,
            new CustomerHealthChanged(
                next(resume, 2), Health.HEALTHY, Health.UNHEALTHY, null, null));

    assertThat(resumed.status()).isEqualTo(CustomerStatus.CONTAINERS_STARTED);
    assertThat(healthy.status()).isEqualTo(CustomerStatus.READY);
  }

  @Test
  void deprovisioningOutranksProvisioningAndDeprovisionedIsFinal() {
    EventMeta provisioning = meta(0);
    Position requested = apply(null, new CustomerRequested(provisioning, "ACME", "s", null));
    EventMeta deprovision = meta(50);
    Position deprovisioning =
        apply(requested, new CustomerDeprovisionRequested(deprovision, false));
    Position gone = apply(deprovisioning, new CustomerDeprovisioned(next(deprovision, 4)));

    assertThat(deprovisioning.status()).isEqualTo(CustomerStatus.DEPROVISIONING);
    assertThat(StatusMachine.next(deprovisioning, new CustomerReady(next(provisioning, 400), 1)))
        .isEmpty();
    assertThat(gone.status()).isEqualTo(CustomerStatus.DEPROVISIONED);
    assertThat(StatusMachine.next(gone, new CustomerSuspended(meta(999)))).isEmpty();
  }

  @Test
  void deprovisionWithoutPurgeEndsArchivedAndOnlyALaterPurgeMovesItOn() {
    EventMeta provisioning = meta(0);
    Position ready =
        apply(
            apply(null, new CustomerRequested(provisioning, "ACME", "s", null)),
            new CustomerReady(next(provisioning, 4), 4000));
    EventMeta archive = meta(50);
    Position removed =
        apply(
            apply(ready, new CustomerDeprovisionRequested(archive, false)),
            new ContainersRemoved(next(archive, 2), false, "b.sql"));
    Position archived = apply(removed, new CustomerArchived(next(archive, 3), "b.sql", List.of()));

    assertThat(archived.status()).isEqualTo(CustomerStatus.ARCHIVED);
    assertThat(StatusMachine.next(archived, new ContainersRemoved(next(archive, 2), false, null)))
        .as("a redelivery of the archive's own step")
        .isEmpty();
    assertThat(StatusMachine.next(archived, new CustomerSuspended(meta(99)))).isEmpty();

    EventMeta purge = meta(100);
    Position purging = apply(archived, new CustomerDeprovisionRequested(purge, true));
    assertThat(purging.status()).isEqualTo(CustomerStatus.DEPROVISIONING);
    assertThat(StatusMachine.next(purging, new CustomerArchived(next(archive, 3), "b", List.of())))
        .as("the archive's event delivered again after the purge began")
        .isEmpty();
    assertThat(apply(purging, new CustomerDeprovisioned(next(purge, 4))).status())
        .isEqualTo(CustomerStatus.DEPROVISIONED);
  }

  @ParameterizedTest
  @EnumSource(
      value = Step.class,
      names = {"RESTART", "SUSPEND", "RESUME", "MIGRATE_FLEET", "BACKUP"})
  void refusedSideStepLeavesAReadyOrSuspendedCustomerWhereItIs(Step sideStep) {
    EventMeta provisioning = meta(0);
    Position ready =
        apply(
            apply(null, new CustomerRequested(provisioning, "ACME", "s", null)),
            new CustomerReady(next(provisioning, 4), 4000));
    Position suspended = apply(ready, new CustomerSuspended(meta(100)));

    StepFailed refusedWhileReady = new StepFailed(meta(50), sideStep, 1, "refused", false, null);
    StepFailed refusedWhileSuspended =
        new StepFailed(meta(200), sideStep, 1, "refused", false, null);

    assertThat(StatusMachine.next(ready, refusedWhileReady)).isEmpty();
    assertThat(StatusMachine.next(suspended, refusedWhileSuspended)).isEmpty();
  }

  @Test
  void restoreTakesAReadyCustomerThroughRestoringAndTheProvisioningStepsBackToReady() {
    EventMeta provisioning = meta(0);
    Position ready =
        apply(
            apply(null, new CustomerRequested(provisioning, "ACME", "s", null)),
            new CustomerReady(next(provisioning, 4), 4000));
    EventMeta restore = meta(100);

    Position restoring =
        apply(ready, new RestoreRequested(restore, UUID.randomUUID(), "1", "ab", "cd"));
    Position started =
        apply(
            restoring,
            new ContainersStarted(
                next(restore, 5),
                "small",
                LifecycleScript.PORTS,
                "network-x",
                List.of("db-x"),
                LifecycleScript.SEALED));
    Position readyAgain = apply(started, new CustomerReady(next(restore, 9), 9000));

    assertThat(restoring.status()).isEqualTo(CustomerStatus.RESTORING);
    assertThat(started.status()).isEqualTo(CustomerStatus.CONTAINERS_STARTED);
    assertThat(readyAgain.status()).isEqualTo(CustomerStatus.READY);
    assertThat(
            apply(
                    restoring,
                    new StepFailed(next(restore, 3), Step.RESTORE, 4, "mismatch", false, null))
                .status())
        .isEqualTo(CustomerStatus.FAILED);
  }

  @Test
  void finalFailureOfADeprovisioningStepFailsTheCustomer() {
    EventMeta deprovision = meta(50);
    Position deprovisioning = apply(null, new CustomerDeprovisionRequested(deprovision, false));

    StepFailed failed =
        new StepFailed(next(deprovision, 1), Step.REMOVE_CONTAINERS, 4, "busy", false, null);

    assertThat(apply(deprovisioning, failed).status()).isEqualTo(CustomerStatus.FAILED);
  }

  private static Position apply(Position current, LifecycleEvent event) {
    return StatusMachine.next(current, event)
        .orElseThrow(() -> new AssertionError("no move: " + event));
  }

  private EventMeta meta(int seconds) {
    return EventMeta.start(ID, Clock.fixed(start.plusSeconds(seconds), ZoneOffset.UTC));
  }

  private EventMeta next(EventMeta run, int seconds) {
    return run.next(Clock.fixed(start.plusSeconds(seconds), ZoneOffset.UTC));
  }
}
