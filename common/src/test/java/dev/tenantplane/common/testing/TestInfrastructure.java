package dev.tenantplane.common.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.wait.strategy.WaitStrategy;
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
              .withPassword("tenantplane-test")
              .waitingFor(postgresReady());
      TestContainers.onLoopback(container, Map.of(5432, 0));
      container.start();
      postgres = container;
    }
    return postgres;
  }

  /**
   * For every {@link PostgreSQLContainer}: ready once the server accepts connections over TCP
   * inside the container ({@code pg_isready -h 127.0.0.1}). Only the real server listens there: the
   * temporary server of a cold first start (initdb) listens on the unix socket alone. This holds
   * for the local image, whose warm first start logs "database system is ready to accept
   * connections" once, and for the official one, which logs it twice; PostgreSQLContainer's own
   * strategy counts two such lines and would wait in vain for the local image's second.
   */
  public static WaitStrategy postgresReady() {
    return new PostgresReady().withStartupTimeout(Duration.ofSeconds(60));
  }

  private static final class PostgresReady extends AbstractWaitStrategy {
    private static final Duration POLL = Duration.ofMillis(50);

    @Override
    protected void waitUntilReady() {
      long deadline = System.nanoTime() + startupTimeout.toNanos();
      while (true) {
        if (!waitStrategyTarget.isRunning()) {
          throw new ContainerLaunchException(
              "PostgreSQL container stopped before it was ready; its log:\n"
                  + waitStrategyTarget.getLogs());
        }
        try {
          if (waitStrategyTarget
                  .execInContainer("pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432")
                  .getExitCode()
              == 0) {
            return;
          }
          if (System.nanoTime() - deadline > 0) {
            throw new ContainerLaunchException(
                "PostgreSQL not ready after "
                    + startupTimeout
                    + "; its log:\n"
                    + waitStrategyTarget.getLogs());
          }
          Thread.sleep(POLL.toMillis());
        } catch (IOException e) {
          throw new ContainerLaunchException("could not run pg_isready in the container", e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ContainerLaunchException("interrupted waiting for PostgreSQL", e);
        }
      }
    }
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
