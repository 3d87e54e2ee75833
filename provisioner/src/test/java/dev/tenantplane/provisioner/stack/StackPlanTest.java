package dev.tenantplane.provisioner.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.naming.Plan;
import dev.tenantplane.provisioner.stack.ContainerPlan.PortBinding;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackPlanTest {

  @Test
  void plansTheFourContainersOfTheSeedInStartOrder() {
    StackPlan stack = StackFixtures.acme();

    assertThat(stack.containers())
        .extracting(ContainerPlan::name)
        .containsExactly("db-acme-corp", "redis-acme-corp", "app-acme-corp", "worker-acme-corp");
    assertThat(stack.network()).isEqualTo("network-acme-corp");
    assertThat(stack.volumes()).containsExactly("db-data-acme-corp", "redis-data-acme-corp");
  }

  @Test
  void publishesPortsOnLoopbackOnlyAndTheWorkerNone() {
    StackPlan stack = StackFixtures.acme();

    assertThat(stack.containers())
        .extracting(c -> c.port().orElse(null))
        .containsExactly(
            new PortBinding("127.0.0.1", 5433, 5432),
            new PortBinding("127.0.0.1", 6380, 6379),
            new PortBinding("127.0.0.1", 3001, 3000),
            null);
  }

  @Test
  void appliesThePlansLimitsPerComponent() {
    StackPlan stack = StackFixtures.acme(Plan.SMALL, Map.of());

    assertThat(stack.containers())
        .extracting(ContainerPlan::limits)
        .containsExactly(
            Plan.SMALL.database(), Plan.SMALL.redis(), Plan.SMALL.app(), Plan.SMALL.worker());
  }

  @Test
  void databaseIsCreatedForTheOwnerFromEnvFileVariables() {
    ContainerPlan db = StackFixtures.acme().containers().get(0);

    assertThat(db.environmentFromEnvFile())
        .containsExactly(
            Map.entry("POSTGRES_USER", "DB_USER"),
            Map.entry("POSTGRES_PASSWORD", "DB_PASSWORD"),
            Map.entry("POSTGRES_DB", "DB_NAME"));
    assertThat(db.fixedEnvironment()).isEmpty();
  }

  @Test
  void appAndWorkerDifferOnlyInRole() {
    StackPlan stack = StackFixtures.acme();
    ContainerPlan app = stack.containers().get(2);
    ContainerPlan worker = stack.containers().get(3);

    assertThat(app.fixedEnvironment()).containsExactly(Map.entry("TENANT_ROLE", "app"));
    assertThat(worker.fixedEnvironment()).containsExactly(Map.entry("TENANT_ROLE", "worker"));
    assertThat(app.environmentFromEnvFile()).isEqualTo(worker.environmentFromEnvFile());
    assertThat(app.dependsOn()).containsExactly("db-acme-corp", "redis-acme-corp");
  }

  @Test
  void labelsEverythingWithTheCustomerAndTheExtraLabels() {
    StackPlan stack = StackFixtures.acme(Plan.STANDARD, Map.of("tenantplane.test", "true"));

    assertThat(stack.labels())
        .containsEntry("tenantplane.customer", "acme-corp")
        .containsEntry("tenantplane.test", "true");
    assertThat(stack.containers())
        .allSatisfy(c -> assertThat(c.labels()).containsAllEntriesOf(stack.labels()));
  }

  @Test
  void specHashIsStableAndChangesWithTheSpec() {
    ContainerPlan app = StackFixtures.acme().containers().get(2);
    ContainerPlan sameAgain = StackFixtures.acme().containers().get(2);
    ContainerPlan larger = StackFixtures.acme(Plan.LARGE, Map.of()).containers().get(2);

    assertThat(app.specHash()).isEqualTo(sameAgain.specHash()).hasSize(32);
    assertThat(larger.specHash()).isNotEqualTo(app.specHash());
  }
}
