package dev.tenantplane.provisioner.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.crypto.TenantSecrets;
import org.junit.jupiter.api.Test;

class ComposeFileRendererTest {
  private final StackPlan stack = StackFixtures.acme();
  private final String compose = ComposeFileRenderer.render(stack);

  @Test
  void holdsNoSecretValueOnlyReferencesToTheEnvFile() {
    TenantSecrets secrets = StackFixtures.secrets();
    EnvFile env = EnvFile.of(stack, secrets);

    env.secretValues().forEach(secret -> assertThat(compose).doesNotContain(secret));
    assertThat(compose)
        .contains("POSTGRES_PASSWORD: \"${DB_PASSWORD}\"")
        .contains("DB_PASSWORD: \"${DB_APP_PASSWORD}\"")
        .contains("JWT_SECRET: \"${JWT_SECRET}\"");
  }

  @Test
  void describesEveryContainerWithItsNameLimitsAndHardening() {
    for (ContainerPlan c : stack.containers()) {
      assertThat(compose).contains("container_name: \"" + c.name() + "\"");
      assertThat(compose).contains("mem_limit: " + c.limits().memoryMiB() + "m");
    }
    assertThat(compose.split("cap_drop:\n      - ALL", -1)).hasSize(5);
    assertThat(compose.split("no-new-privileges:true", -1)).hasSize(5);
    assertThat(compose.split("restart: unless-stopped", -1)).hasSize(5);
  }

  @Test
  void publishesOnLoopbackOnly() {
    assertThat(compose)
        .contains("- \"127.0.0.1:3001:3000\"")
        .contains("- \"127.0.0.1:5433:5432\"")
        .contains("- \"127.0.0.1:6380:6379\"")
        .doesNotContain("0.0.0.0:");
  }

  @Test
  void escapesDollarsSoHealthChecksReadTheContainersOwnVariables() {
    assertThat(compose).contains("REDISCLI_AUTH=\\\"$$REDIS_PASSWORD\\\"");
  }

  @Test
  void usesTheNetworkAndVolumesTheProvisionerCreated() {
    assertThat(compose)
        .contains("  network-acme-corp:\n    external: true\n    name: \"network-acme-corp\"")
        .contains("  db-data-acme-corp:\n    external: true")
        .contains("- \"db-data-acme-corp:/var/lib/postgresql/data\"");
  }

  @Test
  void quotingEscapesQuotesBackslashesAndDollars() {
    assertThat(ComposeFileRenderer.quote("a\"b\\c$d")).isEqualTo("\"a\\\"b\\\\c$$d\"");
  }
}
