package dev.tenantplane.migrator.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tenantplane.common.crypto.EnvelopeSealer;
import dev.tenantplane.common.events.ContainersStarted;
import dev.tenantplane.common.events.CustomerArchived;
import dev.tenantplane.common.events.CustomerDeprovisioned;
import dev.tenantplane.common.events.CustomerResumed;
import dev.tenantplane.common.events.CustomerSuspended;
import dev.tenantplane.common.events.DatabaseMigrated;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.common.testing.BusProbe;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.TestContainers;
import dev.tenantplane.common.testing.TestInfrastructure;
import dev.tenantplane.migrator.TenantPostgres;
import dev.tenantplane.migrator.fleet.FleetFixtures;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
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
class MigrateDatabaseIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static TenantPostgres tenant;

  @Inject EnvelopeSealer sealer;
  private BusProbe bus;

  @BeforeAll
  static void startTenant() {
    tenant = TenantPostgres.start(TenantPostgres.customerId("mig"));
  }

  @AfterAll
  static void stopTenant() {
    tenant.close();
  }

  @BeforeEach
  void openProbe() {
    bus =
        new BusProbe(
            TestInfrastructure.kafka().bootstrapServers(),
            List.of(EventType.DATABASE_MIGRATED.topic(), EventType.STEP_FAILED.topic()));
  }

  @AfterEach
  void closeProbe() {
    bus.close();
  }

  @Test
  void containersStartedYieldsAMigratedDatabaseWithRowLevelSecurityBindingTheAppRole()
      throws Exception {
    ContainersStarted started = started(tenant.names().customerId(), tenant.port(), tenant);
    bus.publish(started);

    DatabaseMigrated migrated = awaitMigrated(started);
    assertThat(migrated.schemaVersion()).isEqualTo("1");
    assertThat(migrated.meta().causationId()).isEqualTo(started.meta().eventId());
    assertThat(migrated.ports()).isEqualTo(started.ports());
    assertThat(migrated.credentials()).isEqualTo(started.credentials());

    try (Connection owner = tenant.asOwner();
        Statement st = owner.createStatement()) {
      assertThat(
              strings(
                  st,
                  "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace"
                      + " AND relkind = 'r' AND relforcerowsecurity AND relrowsecurity"))
          .contains("organizations", "users", "contacts", "deals", "jobs");
      assertThat(
              strings(
                  st,
                  "SELECT rolsuper::text || rolbypassrls::text || rolinherit::text"
                      + " FROM pg_roles WHERE rolname = '"
                      + tenant.names().appRole()
                      + "'"))
          .containsExactly("falsefalsefalse");
      assertThat(strings(st, "SELECT name FROM organizations WHERE slug = 'customer-default'"))
          .containsExactly("Default Organization");
      assertThat(
              strings(
                  st,
                  "SELECT tableowner FROM pg_tables WHERE schemaname = 'public'"
                      + " AND tableowner = '"
                      + tenant.names().appRole()
                      + "'"))
          .isEmpty();
    }
    assertAppRoleSeesOnlyItsOrganization();
  }

  @Test
  void secondRunChangesNothing() throws Exception {
    ContainersStarted first = started(tenant.names().customerId(), tenant.port(), tenant);
    bus.publish(first);
    awaitMigrated(first);
    List<String> historyBefore = history();

    ContainersStarted again = started(tenant.names().customerId(), tenant.port(), tenant);
    bus.publish(again);
    DatabaseMigrated second = awaitMigrated(again);

    assertThat(second.schemaVersion()).isEqualTo("1");
    assertThat(history()).isEqualTo(historyBefore);
    try (Connection owner = tenant.asOwner();
        Statement st = owner.createStatement()) {
      assertThat(strings(st, "SELECT count(*) FROM organizations")).containsExactly("1");
    }
  }

  @Test
  void databaseThatNeverAnswersFailsTheStepAfterRetries() {
    String id = TenantPostgres.customerId("nodb");
    ContainersStarted started = started(id, TestContainers.freeLoopbackPort(), tenant);
    bus.publish(started);

    List<StepFailed> failures =
        bus.await(
            StepFailed.class,
            events -> forCustomer(events, id).size() >= 3,
            Duration.ofSeconds(90));
    List<StepFailed> mine = forCustomer(failures, id);
    assertThat(mine).extracting(StepFailed::step).containsOnly(Step.MIGRATE_DATABASE);
    assertThat(mine).extracting(StepFailed::retryable).containsExactly(true, true, false);
    assertThat(mine.get(0).reason()).contains(id).contains("does not accept connections");
  }

  @Test
  void suspendedCustomerIsInactiveUntilResumedAndForgottenWhenArchivedOrDeprovisioned()
      throws Exception {
    ContainersStarted started = started(tenant.names().customerId(), tenant.port(), tenant);
    bus.publish(started);
    awaitMigrated(started);
    String id = tenant.names().customerId();

    bus.publish(new CustomerSuspended(started.meta().next(Clock.systemUTC())));
    awaitRegistry(id, "f");
    bus.publish(new CustomerResumed(started.meta().next(Clock.systemUTC())));
    awaitRegistry(id, "t");
    bus.publish(new CustomerArchived(started.meta().next(Clock.systemUTC()), null, List.of()));
    awaitRegistry(id, null);

    try {
      // Brought back as its second life; a late ContainersStarted of the archived first life,
      // handled before it (same customer, same consumer), migrates and registers nothing.
      ContainersStarted late = started(id, tenant.port(), tenant, EventMeta.FIRST_GENERATION);
      ContainersStarted again = started(id, tenant.port(), tenant, 2);
      bus.publish(late);
      bus.publish(again);
      awaitMigrated(again);
      awaitRegistry(id, "t");
      assertThat(bus.events(DatabaseMigrated.class))
          .as("migrated for the late event of the archived life")
          .noneMatch(e -> late.meta().eventId().equals(e.meta().causationId()));
      assertThat(FleetFixtures.registryRow(id).generation())
          .as("the registry row's generation")
          .isEqualTo(2);
      bus.publish(new CustomerDeprovisioned(again.meta().next(Clock.systemUTC())));
      awaitRegistry(id, null);
    } finally {
      // The other tests of this class start the same tenant as a first life.
      FleetFixtures.forgetEndedLives(id);
    }
  }

  private void assertAppRoleSeesOnlyItsOrganization() throws SQLException {
    UUID other;
    try (Connection owner = tenant.asOwner();
        Statement st = owner.createStatement()) {
      other =
          UUID.fromString(
              strings(
                      st,
                      "INSERT INTO organizations (name, slug) VALUES ('Other', 'other-"
                          + UUID.randomUUID().toString().substring(0, 8)
                          + "') RETURNING id")
                  .get(0));
      st.execute(
          "INSERT INTO deals (organization_id, title, amount) VALUES ('" + other + "', 'x', 10)");
    }
    try (Connection app = tenant.asApp()) {
      app.setAutoCommit(false);
      try (Statement st = app.createStatement()) {
        assertThat(strings(st, "SELECT count(*) FROM deals")).containsExactly("0");
        assertThat(strings(st, "SELECT count(*) FROM organizations")).containsExactly("0");
      }
      try (PreparedStatement set =
          app.prepareStatement("SELECT set_config('app.current_org', ?, true)")) {
        set.setString(1, other.toString());
        set.execute();
      }
      try (Statement st = app.createStatement()) {
        assertThat(strings(st, "SELECT title FROM deals")).containsExactly("x");
        assertThat(strings(st, "SELECT name FROM organizations")).containsExactly("Other");
      }
      app.rollback();
    }
    assertAppRoleCannotWriteIntoAnotherOrganization(other);
  }

  /** Row-Level Security's WITH CHECK, and the organization-bound contact key, refuse writes. */
  private void assertAppRoleCannotWriteIntoAnotherOrganization(UUID other) throws SQLException {
    String defaultOrg;
    String defaultContact;
    try (Connection owner = tenant.asOwner();
        Statement st = owner.createStatement()) {
      defaultOrg =
          strings(st, "SELECT id FROM organizations WHERE slug = 'customer-default'").get(0);
      defaultContact =
          strings(
                  st,
                  "INSERT INTO contacts (organization_id, name) VALUES ('"
                      + defaultOrg
                      + "', 'Default contact') RETURNING id")
              .get(0);
    }
    List<String> refusedAsOther =
        List.of(
            "INSERT INTO deals (organization_id, title) VALUES ('" + defaultOrg + "', 'planted')",
            "UPDATE deals SET organization_id = '" + defaultOrg + "'",
            "INSERT INTO deals (title, contact_id) VALUES ('linked', '" + defaultContact + "')");
    for (String sql : refusedAsOther) {
      try (Connection app = tenant.asApp()) {
        app.setAutoCommit(false);
        try (PreparedStatement set =
            app.prepareStatement("SELECT set_config('app.current_org', ?, true)")) {
          set.setString(1, other.toString());
          set.execute();
        }
        try (Statement st = app.createStatement()) {
          assertThatThrownBy(() -> st.execute(sql)).as(sql).isInstanceOf(SQLException.class);
        }
        app.rollback();
      }
    }
  }

  private ContainersStarted started(String id, int dbPort, TenantPostgres secretsOf) {
    return started(id, dbPort, secretsOf, EventMeta.FIRST_GENERATION);
  }

  private ContainersStarted started(
      String id, int dbPort, TenantPostgres secretsOf, int generation) {
    return new ContainersStarted(
        EventMeta.start(id, generation, Clock.systemUTC()),
        "standard",
        new PortAssignment(3001, dbPort, 6380),
        "network-" + id,
        List.of("db-" + id, "redis-" + id, "app-" + id, "worker-" + id),
        secretsOf.secrets().seal(id, sealer));
  }

  private DatabaseMigrated awaitMigrated(ContainersStarted started) {
    UUID cause = started.meta().eventId();
    return bus
        .await(
            DatabaseMigrated.class,
            events -> events.stream().anyMatch(e -> cause.equals(e.meta().causationId())),
            WAIT)
        .stream()
        .filter(e -> cause.equals(e.meta().causationId()))
        .findFirst()
        .orElseThrow();
  }

  private List<String> history() throws SQLException {
    try (Connection owner = tenant.asOwner();
        Statement st = owner.createStatement()) {
      return strings(
          st,
          "SELECT installed_rank || ':' || version || ':' || success FROM flyway_schema_history"
              + " ORDER BY installed_rank");
    }
  }

  /** Waits until the registry row's active flag is {@code expected} ("t", "f"; null: no row). */
  private static void awaitRegistry(String customerId, String expected) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () ->
                assertThat(registryActive(customerId))
                    .as("migrator.migrated_customers.active of %s", customerId)
                    .isEqualTo(expected));
  }

  private static String registryActive(String customerId) throws SQLException {
    var pg = TestInfrastructure.postgres();
    try (Connection c =
            java.sql.DriverManager.getConnection(
                pg.getJdbcUrl(), pg.getUsername(), pg.getPassword());
        PreparedStatement q =
            c.prepareStatement(
                "SELECT active FROM migrator.migrated_customers WHERE customer_id = ?")) {
      q.setString(1, customerId);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static List<StepFailed> forCustomer(List<StepFailed> events, String id) {
    return events.stream().filter(e -> e.customerId().equals(id)).toList();
  }

  private static List<String> strings(Statement st, String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }
}
