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
        .contains(
            "TENANT_ROLE=app",
            "DB_USER=customer_acme_corp_app",
            "DB_PASSWORD=" + secrets.appDatabasePassword(),
            "PORT=3000")
        .noneMatch(e -> e.startsWith("DB_APP_"))
        .noneMatch(e -> e.contains(secrets.databaseOwnerPassword()));
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
            Map.of());

    assertThat(EnvFile.of(odd, secrets).render())
        .contains("\nCUSTOMER_NAME='It\\'s $HOME # not a comment \\\\ ok'\n");
  }
}
