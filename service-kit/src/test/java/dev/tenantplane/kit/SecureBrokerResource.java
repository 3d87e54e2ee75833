package dev.tenantplane.kit;

import dev.tenantplane.common.testing.SecureKafkaBroker;
import dev.tenantplane.common.testing.TestContainers;
import dev.tenantplane.common.testing.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A broker of its own that requires SASL_SSL, and the PostgreSQL every kit test shares. Its client
 * settings become {@code kafka.*}, which the channels and the outbox relay's producer both read;
 * the test gets the broker in its field of that type.
 */
public class SecureBrokerResource implements QuarkusTestResourceLifecycleManager {
  private SecureKafkaBroker broker;

  @Override
  public Map<String, String> start() {
    broker = new SecureKafkaBroker(TestContainers.freeLoopbackPort());
    broker.start();
    Map<String, String> config = new HashMap<>();
    broker.clientProperties().forEach((key, value) -> config.put("kafka." + key, value.toString()));
    PostgreSQLContainer postgres = TestInfrastructure.postgres();
    config.putAll(
        Map.of(
            "tenantplane.db.host", "127.0.0.1",
            "tenantplane.db.port", postgres.getMappedPort(5432).toString(),
            "tenantplane.db.name", postgres.getDatabaseName(),
            "quarkus.datasource.username", postgres.getUsername(),
            "quarkus.datasource.password", postgres.getPassword()));
    return config;
  }

  @Override
  public void inject(TestInjector injector) {
    injector.injectIntoFields(broker, new TestInjector.MatchesType(SecureKafkaBroker.class));
  }

  @Override
  public void stop() {
    if (broker != null) {
      broker.stop();
    }
  }
}
