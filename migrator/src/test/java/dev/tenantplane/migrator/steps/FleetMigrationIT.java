package dev.tenantplane.migrator.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tenantplane.common.crypto.EnvelopeSealer;
import dev.tenantplane.common.events.ContainersStarted;
import dev.tenantplane.common.events.DatabaseMigrated;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.FleetMigrationCompleted;
import dev.tenantplane.common.events.FleetMigrationCompleted.CustomerOutcome;
import dev.tenantplane.common.events.FleetMigrationCompleted.Outcome;
import dev.tenantplane.common.events.FleetMigrationRequested;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.common.naming.CustomerIds;
import dev.tenantplane.common.testing.BusProbe;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.TestInfrastructure;
import dev.tenantplane.migrator.TenantPostgres;
import dev.tenantplane.migrator.fleet.FleetFixtures;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A fleet run over three real tenant databases, from the request to the report on the bus. */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres"))
class FleetMigrationIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static TenantPostgres current;
  private static TenantPostgres behind;
  private static TenantPostgres broken;

  @Inject EnvelopeSealer sealer;
  private BusProbe bus;

  @BeforeAll
  static void startTenants() {
    current = TenantPostgres.start(TenantPostgres.customerId("fleet-current"));
    behind = TenantPostgres.start(TenantPostgres.customerId("fleet-behind"));
    broken = TenantPostgres.start(TenantPostgres.customerId("fleet-broken"));
  }

  @AfterAll
  static void stopTenants() {
    current.close();
    behind.close();
    broken.close();
  }

  @BeforeEach
  void openProbe() {
    bus =
        new BusProbe(
            TestInfrastructure.kafka().bootstrapServers(),
            List.of(
                EventType.DATABASE_MIGRATED.topic(),
                EventType.FLEET_MIGRATION_COMPLETED.topic(),
                EventType.STEP_FAILED.topic()));
  }

  @AfterEach
  void closeProbe() {
    bus.close();
  }

  @Test
  void reportSaysWhichCustomerWasMigratedWhichWasAlreadyCurrentAndWhichFailedWithItsReason()
      throws Exception {
    FleetFixtures.forgetEveryCustomerAndRun();
    migrateThroughTheBus(current);
    FleetFixtures.register(id(behind), behind.port(), behind.secrets(), sealer, "0");
    // A table the schema's first version creates is already there: V1 fails on it.
    try (Connection owner = broken.asOwner();
        Statement st = owner.createStatement()) {
      st.execute("CREATE TABLE organizations (id INTEGER PRIMARY KEY)");
    }
    FleetFixtures.register(id(broken), broken.port(), broken.secrets(), sealer, "0");

    FleetMigrationRequested request =
        new FleetMigrationRequested(EventMeta.start(CustomerIds.FLEET, Clock.systemUTC()), 2);
    bus.publish(request);

    FleetMigrationCompleted report = awaitCausedBy(FleetMigrationCompleted.class, request);
    assertThat(report.customerId()).isEqualTo(CustomerIds.FLEET);
    assertThat(report.meta().correlationId()).isEqualTo(request.meta().correlationId());
    assertThat(report.outcomes())
        .extracting(CustomerOutcome::customerId, CustomerOutcome::outcome)
        .containsExactlyInAnyOrder(
            tuple(id(current), Outcome.ALREADY_CURRENT),
            tuple(id(behind), Outcome.MIGRATED),
            tuple(id(broken), Outcome.FAILED));
    CustomerOutcome failure = outcomeOf(report, id(broken));
    assertThat(failure.reason()).contains(id(broken)).contains("version 1");
    assertThat(failure.schemaVersion()).isNull();
    assertThat(outcomeOf(report, id(behind)).schemaVersion()).isEqualTo("1");
    assertThat(outcomeOf(report, id(current)).reason()).isNull();
    assertThat(report.migrated()).isEqualTo(1);
    assertThat(report.alreadyCurrent()).containsExactly(id(current));
    assertThat(report.failedCustomers()).containsExactly(id(broken));
    assertThat(report.schemaVersion()).isEqualTo("1");

    StepFailed stepFailed = awaitCausedBy(StepFailed.class, request);
    assertThat(stepFailed.customerId()).isEqualTo(id(broken));
    assertThat(stepFailed.step()).isEqualTo(Step.MIGRATE_FLEET);
    assertThat(stepFailed.retryable()).isFalse();
    assertThat(stepFailed.meta().correlationId()).isEqualTo(request.meta().correlationId());
    assertThat(stepFailed.reason()).isEqualTo(failure.reason());

    assertThat(FleetFixtures.registryVersion(id(behind))).isEqualTo("1");
    assertThat(FleetFixtures.registryVersion(id(broken))).isEqualTo("0");
    try (Connection app = behind.asApp();
        Statement st = app.createStatement();
        ResultSet rs = st.executeQuery("SELECT current_user")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo(behind.names().appRole());
    }
    assertThat(FleetFixtures.runCompleted(request.meta().eventId())).isTrue();
  }

  @Test
  void fleetWithNoActiveCustomerCompletesAtOnceWithAnEmptyReport() throws Exception {
    FleetFixtures.forgetEveryCustomerAndRun();
    FleetMigrationRequested request =
        new FleetMigrationRequested(EventMeta.start(CustomerIds.FLEET, Clock.systemUTC()), 4);
    bus.publish(request);

    FleetMigrationCompleted report = awaitCausedBy(FleetMigrationCompleted.class, request);
    assertThat(report.outcomes()).isEmpty();
    assertThat(report.migrated()).isZero();
    assertThat(report.failedCustomers()).isEmpty();
    assertThat(report.schemaVersion()).isEqualTo("none");
  }

  private void migrateThroughTheBus(TenantPostgres tenant) {
    String id = id(tenant);
    ContainersStarted started =
        new ContainersStarted(
            EventMeta.start(id, Clock.systemUTC()),
            "standard",
            new PortAssignment(3001, tenant.port(), 6380),
            "network-" + id,
            List.of("db-" + id),
            tenant.secrets().seal(id, sealer));
    bus.publish(started);
    UUID cause = started.meta().eventId();
    bus.await(
        DatabaseMigrated.class,
        events -> events.stream().anyMatch(e -> cause.equals(e.meta().causationId())),
        WAIT);
  }

  private <E extends LifecycleEvent> E awaitCausedBy(
      Class<E> type, FleetMigrationRequested request) {
    UUID cause = request.meta().eventId();
    return bus
        .await(
            type,
            events -> events.stream().anyMatch(e -> cause.equals(e.meta().causationId())),
            WAIT)
        .stream()
        .filter(e -> cause.equals(e.meta().causationId()))
        .findFirst()
        .orElseThrow();
  }

  private static CustomerOutcome outcomeOf(FleetMigrationCompleted report, String customerId) {
    return report.outcomes().stream()
        .filter(o -> o.customerId().equals(customerId))
        .findFirst()
        .orElseThrow();
  }

  private static String id(TenantPostgres tenant) {
    return tenant.names().customerId();
  }
}
