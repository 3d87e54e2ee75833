package dev.tenantplane.provisioner.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tenantplane.common.crypto.TenantSecrets;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reads the rendered file back as YAML and checks what docker-compose would take from it. */
class ComposeFileRendererTest {
  private final StackPlan stack = StackFixtures.acme();
  private final String compose = ComposeFileRenderer.render(stack);
  private final JsonNode file = parse(compose);

  @Test
  void holdsNoSecretValueAndPutsNoSecretInAnEnvironment() {
    TenantSecrets secrets = StackFixtures.secrets();
    EnvFile env = EnvFile.of(stack, secrets);

    env.secretValues().forEach(secret -> assertThat(compose).doesNotContain(secret));
    assertThat(environment("db-acme-corp").get("POSTGRES_USER").asText()).isEqualTo("${DB_USER}");
    assertThat(environment("db-acme-corp").get("POSTGRES_PASSWORD_FILE").asText())
        .isEqualTo("/run/secrets/POSTGRES_PASSWORD");
    assertThat(environment("redis-acme-corp").get("REDIS_PASSWORD_FILE").asText())
        .isEqualTo("/run/secrets/REDIS_PASSWORD");
    for (ContainerPlan c : stack.containers()) {
      assertThat(environment(c.service()).has("POSTGRES_PASSWORD")).isFalse();
      for (String variable : EnvFile.SECRET_VARIABLES) {
        assertThat(environment(c.service()).has(variable)).as(c.name() + " " + variable).isFalse();
      }
    }
  }

  @Test
  void bindsTheSecretFilesReadOnlyWithTheirGroupAsTheProvisionerDoes() {
    String secrets = StackFixtures.SECRET_FILES.directory().toString();
    JsonNode db = file.get("services").get("db-acme-corp");
    assertThat(texts(db.get("volumes")))
        .containsExactly(
            "db-data-acme-corp:/var/lib/postgresql/data",
            secrets + "/DB_PASSWORD:/run/secrets/POSTGRES_PASSWORD:ro");
    assertThat(texts(file.get("services").get("app-acme-corp").get("volumes")))
        .containsExactly(
            secrets + "/DB_APP_PASSWORD:/run/secrets/DB_PASSWORD:ro",
            secrets + "/REDIS_PASSWORD:/run/secrets/REDIS_PASSWORD:ro",
            secrets + "/JWT_SECRET:/run/secrets/JWT_SECRET:ro",
            secrets + "/ENCRYPTION_KEY:/run/secrets/ENCRYPTION_KEY:ro");
    for (ContainerPlan c : stack.containers()) {
      assertThat(texts(file.get("services").get(c.service()).get("group_add")))
          .containsExactly("10001");
    }
  }

  @Test
  void describesEveryContainerWithItsNameLimitsAndHardening() {
    assertThat(file.get("version").asText()).isEqualTo("2.4");
    assertThat(file.get("services").size()).isEqualTo(stack.containers().size());
    for (ContainerPlan c : stack.containers()) {
      JsonNode service = file.get("services").get(c.service());
      assertThat(service.get("container_name").asText()).isEqualTo(c.name());
      assertThat(service.get("image").asText()).isEqualTo(c.image());
      assertThat(service.get("mem_limit").asText()).isEqualTo(c.limits().memoryMiB() + "m");
      assertThat(service.get("memswap_limit").asText()).isEqualTo(c.limits().memoryMiB() + "m");
      assertThat(service.get("cpus").asDouble()).isEqualTo(c.limits().cpus(), within());
      assertThat(service.get("pids_limit").asInt()).isEqualTo(c.limits().pids());
      assertThat(texts(service.get("cap_drop"))).containsExactly("ALL");
      assertThat(texts(service.get("security_opt"))).containsExactly("no-new-privileges:true");
      assertThat(service.get("restart").asText()).isEqualTo("unless-stopped");
      assertThat(service.get("labels").get(DockerSpec.SPEC_HASH_LABEL).asText())
          .isEqualTo(c.specHash());
    }
  }

  @Test
  void publishesOnLoopbackOnly() {
    assertThat(ports("app-acme-corp")).containsExactly("127.0.0.1:3001:3000");
    assertThat(ports("db-acme-corp")).containsExactly("127.0.0.1:5433:5432");
    assertThat(ports("redis-acme-corp")).containsExactly("127.0.0.1:6380:6379");
    assertThat(compose).doesNotContain("0.0.0.0:");
  }

  @Test
  void escapesDollarsSoHealthChecksReadTheContainersOwnVariables() {
    JsonNode test = file.get("services").get("redis-acme-corp").get("healthcheck").get("test");
    assertThat(test.get(0).asText()).isEqualTo("CMD-SHELL");
    assertThat(test.get(1).asText())
        .contains("REDISCLI_AUTH=\"$$(cat /run/secrets/REDIS_PASSWORD)\"");
  }

  @Test
  void usesTheNetworkAndVolumesTheProvisionerCreated() {
    JsonNode network = file.get("networks").get("network-acme-corp");
    assertThat(network.get("external").asBoolean()).isTrue();
    assertThat(network.get("name").asText()).isEqualTo("network-acme-corp");
    assertThat(file.get("volumes").get("db-data-acme-corp").get("external").asBoolean()).isTrue();
    assertThat(texts(file.get("services").get("db-acme-corp").get("volumes")))
        .startsWith("db-data-acme-corp:/var/lib/postgresql/data");
  }

  @Test
  void literalsKeepQuotesAndBackslashesAndDoubleDollars() {
    assertThat(ComposeFileRenderer.literal("a\"b\\c$d")).isEqualTo("a\"b\\c$$d");
    assertThat(parse("k: " + '"' + "a\\\"b" + '"').get("k").asText()).isEqualTo("a\"b");
  }

  private JsonNode environment(String service) {
    return file.get("services").get(service).get("environment");
  }

  private List<String> ports(String service) {
    return texts(file.get("services").get(service).get("ports"));
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    if (array == null) {
      return texts;
    }
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(0.001);
  }

  private static JsonNode parse(String yaml) {
    try {
      return new YAMLMapper().readTree(yaml);
    } catch (IOException e) {
      throw new AssertionError("not YAML:\n" + yaml, e);
    }
  }
}
