package dev.tenantplane.nginx;

import static dev.tenantplane.nginx.RouteEvents.CLOCK;
import static dev.tenantplane.nginx.RouteEvents.id;
import static dev.tenantplane.nginx.RouteEvents.migrated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tenantplane.common.events.CustomerDeprovisionRequested;
import dev.tenantplane.common.events.CustomerResumed;
import dev.tenantplane.common.events.CustomerSuspended;
import dev.tenantplane.common.events.DatabaseMigrated;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.RestoreRequested;
import dev.tenantplane.common.events.RoutesPublished;
import dev.tenantplane.common.testing.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A customer deprovisioned while it was still provisioning: events of the provisioning run (or a
 * resume) may arrive after the routes were withdrawn, on other topics. None of them may route the
 * withdrawn generation of the id again or announce it to the services downstream; a later
 * generation (the id used again) is routed, until it is withdrawn in turn.
 */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres"))
@QuarkusTestResource(NginxTestResource.class)
class LateEventsAfterWithdrawalIT {
  private static final EventType ROUTES_PUBLISHED = EventType.ROUTES_PUBLISHED;
  private static final EventType STEP_FAILED = EventType.STEP_FAILED;

  @Inject NginxSettings settings;
  @Inject DataSource dataSource;

  private RouteBus bus;
  private RouteTables tables;
  private NginxClient nginx;
  private Upstreams upstreams;

  @BeforeEach
  void open() {
    bus = new RouteBus();
    tables = new RouteTables(dataSource);
    nginx = new NginxClient(settings.listen());
    upstreams = new Upstreams();
  }

  @AfterEach
  void close() {
    bus.close();
    upstreams.close();
  }

  @Test
  void lateDatabaseMigratedForAWithdrawnCustomerNeitherRoutesNorPublishesIt() throws Exception {
    String leaving = id("tomb-ng-a");
    String staying = id("tomb-ng-b");
    int leavingPort = upstreams.start("upstream-" + leaving);
    DatabaseMigrated first = routed(leaving, leavingPort);
    routed(staying, upstreams.start("upstream-" + staying));
    withdraw(first);

    // The leaving customer's app still answers: routed again, nginx would reach it.
    DatabaseMigrated late = migrated(leaving, leavingPort);
    handled("nginx-configurer.publish", late);

    assertThat(bus.causedBy(RoutesPublished.class, late)).isEmpty();
    // The withdrawal deleted the first (it carried the sealed credentials); the late one adds none.
    assertThat(tables.outboxRecords(ROUTES_PUBLISHED, leaving)).isZero();
    assertThat(tables.outboxRecords(STEP_FAILED, leaving)).isZero();
    assertThat(tables.routeRows(leaving)).isZero();
    assertThat(nginx.get(leaving + ".localhost", "/").status()).isEqualTo(404);
    assertThat(nginx.get("localhost", "/" + leaving + "/").status()).isEqualTo(404);
    assertThat(nginx.get(staying + ".localhost", "/").body()).startsWith("upstream-" + staying);
    assertThat(nginx.get("localhost", "/" + staying + "/").body())
        .startsWith("upstream-" + staying);
  }

  @Test
  void suspendAndResumeOfAWithdrawnCustomerLeaveItUnroutedAndEmitNothing() throws Exception {
    String id = id("tomb-ng-c");
    DatabaseMigrated first = routed(id, upstreams.start("upstream-" + id));
    withdraw(first);

    CustomerSuspended suspended = new CustomerSuspended(first.meta().next(CLOCK));
    handled("nginx-configurer.suspend", suspended);
    CustomerResumed resumed = new CustomerResumed(first.meta().next(CLOCK));
    handled("nginx-configurer.resume", resumed);

    assertThat(tables.outboxRecords(ROUTES_PUBLISHED, id)).isZero();
    assertThat(tables.outboxRecords(STEP_FAILED, id)).isZero();
    assertThat(tables.routeRows(id)).isZero();
    assertThat(nginx.get(id + ".localhost", "/").status()).isEqualTo(404);
  }

  @Test
  void repeatedDeprovisionRequestIsAcknowledgedAgainWithRoutesWithdrawn() throws Exception {
    String id = id("tomb-ng-d");
    DatabaseMigrated first = routed(id, upstreams.start("upstream-" + id));
    withdraw(first);

    CustomerDeprovisionRequested again =
        new CustomerDeprovisionRequested(first.meta().next(CLOCK), true);
    bus.publish(again);

    assertThat(bus.awaitWithdrawn(again).purge()).isTrue();
    assertThat(tables.withdrawnGeneration(id)).contains(1);
  }

  @Test
  void aLaterGenerationIsRoutedAgainWhileTheEndedOnesLateEventsChangeNothing() throws Exception {
    String id = id("tomb-ng-e");
    int firstPort = upstreams.start("upstream-" + id);
    DatabaseMigrated first = routed(id, firstPort);
    withdraw(first);

    routed(migrated(id, 2, upstreams.start("second-" + id)), "second-" + id);
    assertThat(nginx.get("localhost", "/" + id + "/").body()).startsWith("second-" + id);
    assertThat(tables.routeGeneration(id)).contains(2);

    // The first life's events, late: none may touch the second life's route.
    changesNothing("nginx-configurer.publish", migrated(id, firstPort));
    changesNothing("nginx-configurer.suspend", new CustomerSuspended(first.meta().next(CLOCK)));
    changesNothing(
        "nginx-configurer.pause-restore",
        new RestoreRequested(first.meta().next(CLOCK), UUID.randomUUID(), "V1", "a", "b"));
    changesNothing(
        "nginx-configurer.withdraw",
        new CustomerDeprovisionRequested(first.meta().next(CLOCK), true));

    assertThat(nginx.get(id + ".localhost", "/").body()).startsWith("second-" + id);
    assertThat(tables.routeGeneration(id)).contains(2);
    assertThat(tables.withdrawnGeneration(id)).contains(1);
  }

  @Test
  void withdrawingTheLaterGenerationEndsItAsTheFirstWasEnded() throws Exception {
    String id = id("tomb-ng-f");
    withdraw(routed(id, upstreams.start("upstream-" + id)));
    int secondPort = upstreams.start("second-" + id);
    DatabaseMigrated second = routed(migrated(id, 2, secondPort), "second-" + id);

    withdraw(second);
    changesNothing("nginx-configurer.publish", migrated(id, 2, secondPort));
    changesNothing("nginx-configurer.resume", new CustomerResumed(second.meta().next(CLOCK)));

    assertThat(tables.routeRows(id)).isZero();
    assertThat(nginx.get(id + ".localhost", "/").status()).isEqualTo(404);
    assertThat(nginx.get("localhost", "/" + id + "/").status()).isEqualTo(404);
  }

  /** Publishes the customer's route and waits until nginx serves it. */
  private DatabaseMigrated routed(String customerId, int appPort) {
    return routed(migrated(customerId, appPort), "upstream-" + customerId);
  }

  /** Publishes the route and waits until nginx serves the app that answers {@code answer}. */
  private DatabaseMigrated routed(DatabaseMigrated migrated, String answer) {
    bus.publish(migrated);
    assertThat(bus.awaitPublished(migrated).meta().generation())
        .isEqualTo(migrated.meta().generation());
    assertThat(nginx.get(migrated.customerId() + ".localhost", "/").body()).startsWith(answer);
    return migrated;
  }

  /** Withdraws the run's generation of the customer and waits until nginx no longer routes it. */
  private void withdraw(LifecycleEvent run) throws Exception {
    CustomerDeprovisionRequested deprovision =
        new CustomerDeprovisionRequested(run.meta().next(CLOCK), false);
    bus.publish(deprovision);
    assertThat(bus.awaitWithdrawn(deprovision).meta().generation())
        .isEqualTo(run.meta().generation());
    assertThat(tables.withdrawnGeneration(run.customerId())).contains(run.meta().generation());
    assertThat(nginx.get(run.customerId() + ".localhost", "/").status()).isEqualTo(404);
  }

  /** The consumer handles the late event and writes nothing in answer: no event, no failure. */
  private void changesNothing(String consumer, LifecycleEvent late) throws Exception {
    handled(consumer, late);
    assertThat(tables.outboxRecordsCausedBy(late.meta().eventId())).isZero();
  }

  /**
   * Publishes the event and waits until the consumer recorded it as done: its events, if any, were
   * written to the outbox in that same transaction.
   */
  private void handled(String consumer, LifecycleEvent event) throws Exception {
    bus.publish(event);
    await(consumer + " to handle " + event.meta().eventId())
        .atMost(RouteBus.WAIT)
        .pollInterval(RouteBus.POLL)
        .until(() -> tables.inboxOutcome(consumer, event.meta().eventId()).isPresent());
    assertThat(tables.inboxOutcome(consumer, event.meta().eventId())).contains("done");
  }
}
