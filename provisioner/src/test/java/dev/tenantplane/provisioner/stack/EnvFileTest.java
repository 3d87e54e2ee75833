package dev.tenantplane.provisioner.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.crypto.TenantSecrets;
import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.naming.Plan;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.provisioner.network.Subnet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvFileTest {
  private final StackPlan stack = StackFixtures.acme();
  private final TenantSecrets secrets = StackFixtures.secrets();
  private final EnvFile env = EnvFile.of(stack, secrets);

  @Test
  void holdsTheContractsVariablesWithTheSeedsMeaningOfDbUser() {
    String text = env.render();

    assertThat(text)
        .contains("\nCUSTOMER_ID=acme-corp\n")
        .contains("\nCUSTOMER_NAME='ACME Corporation'\n")
        .contains("\nNODE_ENV=production\n")
        .contains("\nDB_HOST=db-acme-corp\n")
        .contains("\nDB_NAME=saas_acme_corp\n")
        .contains("\nDB_USER=customer_acme_corp\n")
        .contains("\nDB_PASSWORD=" + secrets.databaseOwnerPassword() + "\n")
        .contains("\nDB_APP_USER=customer_acme_corp_app\n")
        .contains("\nDB_APP_PASSWORD=" + secrets.appDatabasePassword() + "\n")
        .contains("\nREDIS_PASSWORD=" + secrets.redisPassword() + "\n")
        .contains("\nAPP_HOST_PORT=3001\nDB_HOST_PORT=5433\nREDIS_HOST_PORT=6380\n");
  }

  @Test
  void givesTheAppItsVariablesButNotTheOwnersCredentials() {
    ContainerPlan app = stack.containers().get(2);

    assertThat(env.environmentOf(app))
        .contains("TENANT_ROLE=app", "DB_USER=customer_acme_corp_app", "PORT=3000")
        .noneMatch(e -> e.startsWith("DB_APP_"));
  }

  @Test
  void givesNoContainerASecretInItsEnvironment() {
    for (ContainerPlan container : stack.containers()) {
      assertThat(env.environmentOf(container))
          .as(container.name())
          .noneMatch(e -> env.secretValues().stream().anyMatch(e::contains))
          .noneMatch(
              e ->
                  e.matches(
                      "(DB_PASSWORD|REDIS_PASSWORD|JWT_SECRET|ENCRYPTION_KEY|POSTGRES_PASSWORD)=.*"));
    }
  }

  @Test
  void namesEverySecretVariableAsASecretFile() {
    assertThat(EnvFile.SECRET_VARIABLES)
        .containsExactlyInAnyOrder(
            "DB_PASSWORD", "DB_APP_PASSWORD", "REDIS_PASSWORD", "JWT_SECRET", "ENCRYPTION_KEY");
    assertThat(EnvFile.SECRET_VARIABLES.stream().map(env::get))
        .containsExactlyInAnyOrderElementsOf(env.secretValues());
  }

  @Test
  void quotesNamesThatDockerComposeWouldOtherwiseInterpret() {
    StackPlan odd =
        StackPlan.of(
            new TenantNames("odd-corp"),
            "It's $HOME # not a comment \\ ok",
            Plan.SMALL,
            new PortAssignment(3002, 5434, 6381),
            Subnet.parse("10.213.0.16/28"),
            StackFixtures.IMAGES,
            Map.of(),
            StackFixtures.SECRET_FILES);

    assertThat(EnvFile.of(odd, secrets).render())
        .contains("\nCUSTOMER_NAME='It\\'s $HOME # not a comment \\\\ ok'\n");
  }
}
