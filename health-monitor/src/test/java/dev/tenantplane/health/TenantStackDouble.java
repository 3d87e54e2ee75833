package dev.tenantplane.health;

import com.sun.net.httpserver.HttpServer;
import dev.tenantplane.common.crypto.EnvelopeSealer;
import dev.tenantplane.common.crypto.TenantSecrets;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.events.RoutesPublished;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.common.testing.LocalImages;
import dev.tenantplane.common.testing.TestContainers;
import dev.tenantplane.common.testing.TestInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A customer's stack for the monitor to watch: a real PostgreSQL with the app role, a real Redis
 * with the customer's password, both on fixed 127.0.0.1 ports (so a restarted container comes back
 * where the monitor looks), and an HTTP server standing in for the app and its nginx route.
 */
final class TenantStackDouble implements AutoCloseable {
  final String customerId;
  private volatile String workerStatus;
  final TenantSecrets secrets;
  final PostgreSQLContainer database;
  final GenericContainer<?> redis;
  final HttpServer app;

  TenantStackDouble(String customerId, TenantSecrets secrets) {
    this.customerId = customerId;
    this.secrets = secrets;
    TenantNames names = new TenantNames(customerId);
    database =
        new PostgreSQLContainer(LocalImages.postgres())
            .withUsername(names.ownerRole())
            .withPassword(secrets.databaseOwnerPassword())
            .withDatabaseName(names.database())
            .waitingFor(TestInfrastructure.postgresReady());
    TestContainers.onLoopback(database, Map.of(5432, TestContainers.freeLoopbackPort()));
    redis =
        new GenericContainer<>(LocalImages.redis())
            .withEnv("REDIS_PASSWORD", secrets.redisPassword())
            .waitingFor(
                Wait.forLogMessage(".*Ready to accept connections.*", 1)
                    .withStartupTimeout(Duration.ofSeconds(60)));
    TestContainers.onLoopback(redis, Map.of(6379, TestContainers.freeLoopbackPort()));
    database.start();
    redis.start();
    createAppRole(names);
    app = startApp();
  }

  /** A stack for a new customer whose id starts with {@code prefix}. */
  static TenantStackDouble forNewCustomer(String prefix) {
    String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    return new TenantStackDouble(id, TenantSecrets.generate(new SecureRandom()));
  }

  /** The nginx-configurer's event announcing this stack's routes, credentials sealed. */
  RoutesPublished routes(EnvelopeSealer sealer) {
    return routes(sealer, EventMeta.FIRST_GENERATION);
  }

  /** The routes of the customer published in {@code generation} of its id. */
  RoutesPublished routes(EnvelopeSealer sealer, int generation) {
    return new RoutesPublished(
        EventMeta.start(customerId, generation, Clock.systemUTC()),
        customerId + ".localhost",
        "/" + customerId + "/",
        new PortAssignment(appPort(), databasePort(), redisPort()),
        secrets.seal(customerId, sealer));
  }

  int appPort() {
    return app.getAddress().getPort();
  }

  int databasePort() {
    return database.getMappedPort(5432);
  }

  int redisPort() {
    return redis.getMappedPort(6379);
  }

  /** Starts Redis again after a stop, as the provisioner's restart consumer would. */
  /**
   * From now on the app's health reports its worker with this status ({@code alive}, {@code
   * missing}) and a queue of 3 waiting, 1 delayed, 1 running, 2 failed, the oldest waiting 4.5 s.
   */
  void reportWorker(String status) {
    workerStatus = status;
  }

  void restartRedis() {
    redis.getDockerClient().startContainerCmd(redis.getContainerId()).exec();
  }

  void stopRedis() {
    redis.getDockerClient().stopContainerCmd(redis.getContainerId()).withTimeout(2).exec();
  }

  private void createAppRole(TenantNames names) {
    try (Connection connection =
            DriverManager.getConnection(
                database.getJdbcUrl(), names.ownerRole(), secrets.databaseOwnerPassword());
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT set_config('app.password', ?, false), format('CREATE ROLE %I LOGIN"
                    + " PASSWORD %L', ?, current_setting('app.password'))")) {
      statement.setString(1, secrets.appDatabasePassword());
      statement.setString(2, names.appRole());
      var result = statement.executeQuery();
      result.next();
      connection.createStatement().execute(result.getString(2));
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot create the app role", e);
    }
  }

  private HttpServer startApp() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/",
          exchange -> {
            byte[] body = AppDouble.body(customerId, workerStatus).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    app.stop(0);
    redis.stop();
    database.stop();
  }
}
