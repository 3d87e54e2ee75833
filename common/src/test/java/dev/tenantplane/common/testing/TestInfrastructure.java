package dev.tenantplane.common.testing;

import java.time.Duration;
import java.util.Map;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A real Kafka broker, PostgreSQL and Redis for integration tests, started once per JVM on first
 * use and shared by every test in it. Containers are labelled {@link TestContainers#LABEL} and
 * publish on 127.0.0.1 only.
 */
public final class TestInfrastructure {
  public static final String REDIS_PASSWORD = "test-redis-password";

  private static KafkaBroker kafka;
  private static PostgreSQLContainer postgres;
  private static GenericContainer<?> redis;

  private TestInfrastructure() {}

  /** A single-node KRaft broker; its bootstrap address is on 127.0.0.1. */
  public static synchronized KafkaBroker kafka() {
    if (kafka == null) {
      KafkaBroker broker = new KafkaBroker(TestContainers.freeLoopbackPort());
      broker.start();
      kafka = broker;
    }
    return kafka;
  }

  /** A PostgreSQL 15 server with database {@code tenantplane}, user {@code tenantplane}. */
  public static synchronized PostgreSQLContainer postgres() {
    if (postgres == null) {
      PostgreSQLContainer container =
          new PostgreSQLContainer(LocalImages.postgres())
              .withDatabaseName("tenantplane")
              .withUsername("tenantplane")
              .withPassword("tenantplane-test");
      TestContainers.onLoopback(container, Map.of(5432, 0));
      container.start();
      postgres = container;
    }
    return postgres;
  }

  /** A Redis 7 server requiring {@link #REDIS_PASSWORD}. */
  public static synchronized GenericContainer<?> redis() {
    if (redis == null) {
      GenericContainer<?> container =
          new GenericContainer<>(LocalImages.redis())
              .withEnv("REDIS_PASSWORD", REDIS_PASSWORD)
              .waitingFor(
                  Wait.forLogMessage(".*Ready to accept connections.*", 1)
                      .withStartupTimeout(Duration.ofSeconds(60)));
      TestContainers.onLoopback(container, Map.of(6379, 0));
      container.start();
      redis = container;
    }
    return redis;
  }

  /** {@code redis://:password@127.0.0.1:port}, as Quarkus' Redis client takes it. */
  public static String redisUri() {
    GenericContainer<?> container = redis();
    return "redis://:" + REDIS_PASSWORD + "@127.0.0.1:" + container.getMappedPort(6379);
  }
}
