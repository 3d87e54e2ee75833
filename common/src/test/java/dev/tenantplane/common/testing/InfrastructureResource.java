package dev.tenantplane.common.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Gives a {@code @QuarkusTest} a real Kafka broker, and PostgreSQL and Redis when asked for with
 * the init argument {@code needs} (comma separated: {@code postgres,redis}). Kafka is always
 * started, because every service connects to it.
 *
 * <pre>
 * &#64;QuarkusTestResource(value = InfrastructureResource.class,
 *     initArgs = &#64;ResourceArg(name = "needs", value = "postgres,redis"))
 * </pre>
 */
public class InfrastructureResource implements QuarkusTestResourceLifecycleManager {
  private List<String> needs = List.of();

  @Override
  public void init(Map<String, String> initArgs) {
    String value = initArgs.getOrDefault("needs", "");
    needs = value.isBlank() ? List.of() : List.of(value.split("\\s*,\\s*"));
  }

  @Override
  public Map<String, String> start() {
    Map<String, String> config = new HashMap<>();
    config.put("kafka.bootstrap.servers", TestInfrastructure.kafka().bootstrapServers());
    if (needs.contains("postgres")) {
      PostgreSQLContainer pg = TestInfrastructure.postgres();
      config.put("tenantplane.db.host", "127.0.0.1");
      config.put("tenantplane.db.port", String.valueOf(pg.getMappedPort(5432)));
      config.put("tenantplane.db.name", pg.getDatabaseName());
      config.put("quarkus.datasource.username", pg.getUsername());
      config.put("quarkus.datasource.password", pg.getPassword());
    }
    if (needs.contains("redis")) {
      config.put("quarkus.redis.hosts", TestInfrastructure.redisUri());
    }
    return config;
  }

  @Override
  public void stop() {
    // The containers are shared by every test class of this JVM and go with it.
  }
}
