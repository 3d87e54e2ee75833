package dev.tenantplane.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ServiceSettingsTest {

  private static Properties props(String text) throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(text));
    return p;
  }

  @Test
  void environmentNamesComeFromKeysAndReferencesWithoutTheProfile() throws IOException {
    var names =
        ServiceSettings.environment(
            props(
                """
                quarkus.http.port=${TENANTPLANE_HTTP_PORT:8082}
                quarkus.datasource.jdbc.url=jdbc:postgresql://${tenantplane.db.host:127.0.0.1}/x
                %test.tenantplane.platform-key.value=abc
                """));
    assertThat(names)
        .contains(
            "QUARKUS_HTTP_PORT",
            "TENANTPLANE_HTTP_PORT",
            "TENANTPLANE_DB_HOST",
            "TENANTPLANE_PLATFORM_KEY_VALUE")
        .doesNotContain("TENANTPLANE_PG_PASSWORD", "_TEST_TENANTPLANE_PLATFORM_KEY_VALUE");
  }

  @Test
  void aMappingsTopLevelMembersAndTheirDefaultsAreRead() {
    String source =
        """
        @ConfigMapping(prefix = "tenantplane.docker")
        public interface DockerSettings {
          @WithDefault("${DOCKER_HOST:unix:///var/run/docker.sock}")
          String host();

          Optional<Path> adminTokenFile();

          interface Nested {
            int hidden();
          }
        }
        """;
    assertThat(ServiceSettings.mappedEnvironment(source))
        .containsExactlyInAnyOrder(
            "TENANTPLANE_DOCKER_HOST", "DOCKER_HOST", "TENANTPLANE_DOCKER_ADMIN_TOKEN_FILE");
  }

  @Test
  void consumersPairEachGroupWithEachOfItsTopics() throws IOException {
    var consumers =
        ServiceSettings.consumers(
            props(
                """
                mp.messaging.incoming.a.topic=t1
                mp.messaging.incoming.a.group.id=g.a
                mp.messaging.incoming.b.topics=t1, t2
                mp.messaging.incoming.b.group.id=g.b
                mp.messaging.incoming.c.topic=t3
                """));
    assertThat(consumers)
        .containsExactlyInAnyOrder(
            new ServiceSettings.Consumer("g.a", "t1"),
            new ServiceSettings.Consumer("g.b", "t1"),
            new ServiceSettings.Consumer("g.b", "t2"));
  }

  @Test
  void aGroupWithoutATopicIsAnError() {
    assertThatThrownBy(
            () -> ServiceSettings.consumers(props("mp.messaging.incoming.x.group.id=g\n")))
        .hasMessageContaining("mp.messaging.incoming.x");
  }

  @Test
  void theProvisionerReadsTheSettingsItsDeploymentSets() {
    assertThat(ServiceSettings.environment("provisioner"))
        .contains(
            "TENANTPLANE_KAFKA_BOOTSTRAP",
            "TENANTPLANE_DB_HOST",
            "TENANTPLANE_PG_PASSWORD",
            "TENANTPLANE_PLATFORM_KEY_FILE",
            "TENANTPLANE_PROVISIONER_CUSTOMERS_ROOT",
            "DOCKER_HOST",
            "DOCKER_CERT_PATH")
        .doesNotContain("TENANTPLANE_REDIS_URL", "TENANTPLANE_NGINX_URL");
  }
}
