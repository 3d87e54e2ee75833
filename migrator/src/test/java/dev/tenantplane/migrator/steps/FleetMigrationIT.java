package dev.tenantplane.migrator.steps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.crypto.EnvelopeSealer;
import dev.tenantplane.common.crypto.TenantSecrets;
import dev.tenantplane.common.events.ContainersStarted;
import dev.tenantplane.common.events.DatabaseMigrated;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.FleetMigrationCompleted;
import dev.tenantplane.common.events.FleetMigrationRequested;
import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.events.SealedEnvelope;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.common.naming.CustomerIds;
import dev.tenantplane.common.testing.BusProbe;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.TestContainers;
import dev.tenantplane.common.testing.TestInfrastructure;
import dev.tenantplane.migrator.TenantPostgres;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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

@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres"))
class FleetMigrationIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static TenantPostgres first;
  private static TenantPostgres second;

  @Inject EnvelopeSealer sealer;
  private BusProbe bus;

  @BeforeAll
  static void startTenants() {
    first = TenantPostgres.start(TenantPostgres.customerId("fleet-a"));
    second = TenantPostgres.start(TenantPostgres.customerId("fleet-b"));
  }

  @AfterAll
  static void stopTenants() {
    first.close();
    second.close();
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
  void fleetRunMigratesEveryReachableCustomerAndNamesTheOneThatFailed() throws Exception {
    forgetEveryCustomer();
    register(first);
    register(second);
    String broken = TenantPostgres.customerId("fleet-broken");
    registerUnreachable(broken);

    FleetMigrationRequested request =
        new FleetMigrationRequested(EventMeta.start(CustomerIds.FLEET, Clock.systemUTC()), 2);
    bus.publish(request);

    FleetMigrationCompleted completed =
        bus
            .await(
                FleetMigrationCompleted.class,
                events -> events.stream().anyMatch(e -> causedBy(e.meta(), request)),
                WAIT)
            .stream()
            .filter(e -> causedBy(e.meta(), request))
            .findFirst()
            .orElseThrow();
    assertThat(completed.migrated()).isEqualTo(2);
    assertThat(completed.failedCustomers()).containsExactly(broken);
    assertThat(completed.schemaVersion()).isEqualTo("1");
    assertThat(completed.customerId()).isEqualTo(CustomerIds.FLEET);

    List<StepFailed> failures =
        bus.await(
            StepFailed.class,
            events -> events.stream().anyMatch(e -> causedBy(e.meta(), request)),
            WAIT);
    StepFailed failure =
        failures.stream().filter(e -> causedBy(e.meta(), request)).findFirst().orElseThrow();
    assertThat(failure.customerId()).isEqualTo(broken);
    assertThat(failure.step()).isEqualTo(Step.MIGRATE_FLEET);
    assertThat(failure.meta().correlationId()).isEqualTo(request.meta().correlationId());
    assertThat(failure.reason()).contains(broken);
  }

  private void register(TenantPostgres tenant) {
    String id = tenant.names().customerId();
    ContainersStarted started =
        new ContainersStarted(
            EventMeta.start(id, Clock.systemUTC()),
            "standard",
            new PortAssignment(3001, tenant.port(), 6380),
            "network-" + id,
            List.of("db-" + id),
            tenant.secrets().seal(id, sealer));
    bus.publish(started);
    bus.await(
        DatabaseMigrated.class,
        events -> events.stream().anyMatch(e -> causedBy(e.meta(), started.meta())),
        WAIT);
  }

  /** A customer the registry knows whose database is gone: nothing listens on its port. */
  private void registerUnreachable(String id) throws SQLException {
    SealedEnvelope envelope = TenantSecrets.generate(new SecureRandom()).seal(id, sealer);
    try (Connection c = controlPlane();
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO migrator.migrated_customers (customer_id, db_port, envelope_key_id,"
                    + " envelope_nonce, envelope_cipher, schema_version, active)"
                    + " VALUES (?, ?, ?, ?, ?, '1', true)")) {
      insert.setString(1, id);
      insert.setInt(2, TestContainers.freeLoopbackPort());
      insert.setString(3, envelope.keyId());
      insert.setString(4, envelope.nonce());
      insert.setString(5, envelope.ciphertext());
      insert.executeUpdate();
    }
  }

  /** Customers left by other test classes would count in the fleet run. */
  private static void forgetEveryCustomer() throws SQLException {
    try (Connection c = controlPlane();
        Statement st = c.createStatement()) {
      st.executeUpdate("DELETE FROM migrator.migrated_customers");
    }
  }

  private static Connection controlPlane() throws SQLException {
    var pg = TestInfrastructure.postgres();
    return DriverManager.getConnection(pg.getJdbcUrl(), pg.getUsername(), pg.getPassword());
  }

  private static boolean causedBy(EventMeta meta, FleetMigrationRequested request) {
    return causedBy(meta, request.meta());
  }

  private static boolean causedBy(EventMeta meta, EventMeta cause) {
    UUID id = cause.eventId();
    return id.equals(meta.causationId());
  }
}
