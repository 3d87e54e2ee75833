package dev.tenantplane.provisioner.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.naming.Plan;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.provisioner.network.Subnet;
import dev.tenantplane.provisioner.stack.ContainerPlan.PortBinding;
import dev.tenantplane.provisioner.stack.ContainerPlan.SecretMount;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackPlanTest {
  private static final Path SECRETS = StackFixtures.SECRET_FILES.directory();

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
  void databaseIsCreatedForTheOwnerWithItsPasswordFromAFile() {
    ContainerPlan db = StackFixtures.acme().containers().get(0);

    assertThat(db.environmentFromEnvFile())
        .containsExactly(
            Map.entry("POSTGRES_USER", "DB_USER"), Map.entry("POSTGRES_DB", "DB_NAME"));
    assertThat(db.fixedEnvironment())
        .containsExactly(Map.entry("POSTGRES_PASSWORD_FILE", "/run/secrets/POSTGRES_PASSWORD"));
    assertThat(db.secrets())
        .containsExactly(new SecretMount(SECRETS.resolve("DB_PASSWORD"), "POSTGRES_PASSWORD"));
    assertThat(db.secrets().get(0).target()).isEqualTo("/run/secrets/POSTGRES_PASSWORD");
  }

  @Test
  void redisReadsItsPasswordFromAFileInItsHealthCheckToo() {
    ContainerPlan redis = StackFixtures.acme().containers().get(1);

    assertThat(redis.environmentFromEnvFile()).isEmpty();
    assertThat(redis.fixedEnvironment())
        .containsExactly(Map.entry("REDIS_PASSWORD_FILE", "/run/secrets/REDIS_PASSWORD"));
    assertThat(redis.secrets())
        .containsExactly(new SecretMount(SECRETS.resolve("REDIS_PASSWORD"), "REDIS_PASSWORD"));
    assertThat(redis.healthCheck().orElseThrow())
        .contains("REDISCLI_AUTH=\"$(cat /run/secrets/REDIS_PASSWORD)\"")
        .doesNotContain("$REDIS_PASSWORD");
  }

  @Test
  void appAndWorkerGetTheAppRolesPasswordAndTheKeysAsFilesNamedAfterTheirVariables() {
    StackPlan stack = StackFixtures.acme();
    for (ContainerPlan c : stack.containers().subList(2, 4)) {
      assertThat(c.secrets())
          .containsExactly(
              new SecretMount(SECRETS.resolve("DB_APP_PASSWORD"), "DB_PASSWORD"),
              new SecretMount(SECRETS.resolve("REDIS_PASSWORD"), "REDIS_PASSWORD"),
              new SecretMount(SECRETS.resolve("JWT_SECRET"), "JWT_SECRET"),
              new SecretMount(SECRETS.resolve("ENCRYPTION_KEY"), "ENCRYPTION_KEY"));
      assertThat(c.environmentFromEnvFile())
          .doesNotContainKeys("DB_PASSWORD", "REDIS_PASSWORD", "JWT_SECRET", "ENCRYPTION_KEY");
    }
  }

  @Test
  void everyContainerGetsTheSecretFilesGroup() {
    assertThat(StackFixtures.acme().containers())
        .allSatisfy(c -> assertThat(c.groups()).containsExactly("10001"));
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

  @Test
  void specHashChangesWithTheSecretFilesGroup() {
    ContainerPlan app = StackFixtures.acme().containers().get(2);
    StackPlan otherGroup =
        StackPlan.of(
            new TenantNames("acme-corp"),
            "ACME Corporation",
            Plan.STANDARD,
            new PortAssignment(3001, 5433, 6380),
            Subnet.parse("10.213.0.0/28"),
            StackFixtures.IMAGES,
            Map.of(),
            new StackPlan.SecretFiles(SECRETS, 10002));

    assertThat(otherGroup.containers().get(2).specHash()).isNotEqualTo(app.specHash());
  }
}
