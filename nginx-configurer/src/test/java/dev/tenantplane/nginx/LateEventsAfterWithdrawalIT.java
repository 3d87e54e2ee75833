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
import dev.tenantplane.common.events.RoutesPublished;
import dev.tenantplane.common.testing.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A customer deprovisioned while it was still provisioning: events of the provisioning run (or a
 * resume) may arrive after the routes were withdrawn, on other topics. None of them may route the
 * withdrawn id again or announce it to the services downstream.
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
    assertThat(tables.isWithdrawn(id)).isTrue();
  }

  /** Publishes the customer's route and waits until nginx serves it. */
  private DatabaseMigrated routed(String customerId, int appPort) {
    DatabaseMigrated migrated = migrated(customerId, appPort);
    bus.publish(migrated);
    bus.awaitPublished(migrated);
    assertThat(nginx.get(customerId + ".localhost", "/").body())
        .startsWith("upstream-" + customerId);
    return migrated;
  }

  private void withdraw(LifecycleEvent run) throws Exception {
    CustomerDeprovisionRequested deprovision =
        new CustomerDeprovisionRequested(run.meta().next(CLOCK), false);
    bus.publish(deprovision);
    bus.awaitWithdrawn(deprovision);
    assertThat(tables.isWithdrawn(run.customerId())).isTrue();
    assertThat(nginx.get(run.customerId() + ".localhost", "/").status()).isEqualTo(404);
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
