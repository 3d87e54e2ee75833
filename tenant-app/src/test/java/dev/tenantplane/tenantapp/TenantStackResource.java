package dev.tenantplane.tenantapp;

import dev.tenantplane.common.crypto.TenantSecrets;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.common.testing.LocalImages;
import dev.tenantplane.common.testing.TestContainers;
import dev.tenantplane.common.testing.TestInfrastructure;
import dev.tenantplane.tenantapp.jobs.DealSummaryJob;
import dev.tenantplane.tenantapp.jobs.JobMessage;
import dev.tenantplane.tenantapp.jobs.JobParameters;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.postgresql.PGConnection;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One customer's stack as the platform leaves it before the app starts: its PostgreSQL with the
 * tenant schema (the migrator's own migration files, applied as the owner) and two organizations,
 * and its own Redis. The app connects as the customer's app role, as in production, and gets its
 * secrets as the provisioner gives them: files named after their variables in a folder of its own
 * ({@code TENANT_SECRETS_DIR}, {@code /run/secrets} in a container), not as settings.
 */
public class TenantStackResource implements QuarkusTestResourceLifecycleManager {
  /** The migrator's tenant migrations: the one definition of the tenant schema. */
  private static final Path TENANT_MIGRATIONS = Path.of("../migrator/src/main/resources/tenant-db");

  static final String CUSTOMER = "mg-app-" + UUID.randomUUID().toString().substring(0, 8);
  static final TenantNames NAMES = new TenantNames(CUSTOMER);
  static final TenantSecrets SECRETS = TenantSecrets.generate(new SecureRandom());
  static UUID organizationA;
  static UUID organizationB;
  static PostgreSQLContainer postgres;
  static GenericContainer<?> redis;
  static Path secretsDir;

  /** A token of one of this stack's organizations, valid for five minutes. */
  static String token(UUID organization) {
    return TestTokens.forOrganization(
        SECRETS.jwtSecret(), organization, Instant.now().plusSeconds(300));
  }

  /** A deal-summary job of organization A, ready to run now, as a submission notes it. */
  static JobMessage dealSummary(UUID job) {
    return JobMessage.submitted(
        job, organizationA, DealSummaryJob.KIND, JobParameters.NONE, System.currentTimeMillis());
  }

  @Override
  public Map<String, String> start() {
    postgres =
        new PostgreSQLContainer(LocalImages.postgres())
            .withDatabaseName(NAMES.database())
            .withUsername(NAMES.ownerRole())
            .withPassword(SECRETS.databaseOwnerPassword())
            .withLabel(TenantNames.CUSTOMER_LABEL, CUSTOMER)
            .waitingFor(TestInfrastructure.postgresReady());
    TestContainers.onLoopback(postgres, Map.of(5432, 0));
    redis =
        new GenericContainer<>(LocalImages.redis())
            .withEnv("REDIS_PASSWORD", SECRETS.redisPassword())
            .withLabel(TenantNames.CUSTOMER_LABEL, CUSTOMER)
            .waitingFor(
                Wait.forLogMessage(".*Ready to accept connections.*", 1)
                    .withStartupTimeout(Duration.ofSeconds(60)));
    TestContainers.onLoopback(redis, Map.of(6379, 0));
    postgres.start();
    redis.start();
    try {
      applySchema();
      organizationA = createOrganization("Org A", "org-a");
      organizationB = createOrganization("Org B", "org-b");
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("cannot prepare the tenant database", e);
    }
    try {
      secretsDir = writeSecretFiles();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the secret files", e);
    }
    return Map.of(
        "quarkus.datasource.reactive.url",
        "postgresql://127.0.0.1:" + postgres.getMappedPort(5432) + "/" + NAMES.database(),
        "quarkus.datasource.username",
        NAMES.appRole(),
        "quarkus.redis.hosts",
        "redis://127.0.0.1:" + redis.getMappedPort(6379),
        "tenantplane.tenant-app.customer-id",
        CUSTOMER,
        "TENANT_SECRETS_DIR",
        secretsDir.toString(),
        "tenantplane.tenant-app.health-timeout",
        "1s");
  }

  /** The secrets as the provisioner mounts them: one owner-readable file per variable. */
  private static Path writeSecretFiles() throws IOException {
    Path dir =
        Files.createTempDirectory(
            "tenant-app-secrets",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Map<String, String> files =
        Map.of(
            "DB_PASSWORD", SECRETS.appDatabasePassword(),
            "REDIS_PASSWORD", SECRETS.redisPassword(),
            "JWT_SECRET", SECRETS.jwtSecret());
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path path = dir.resolve(file.getKey());
      Files.writeString(path, file.getValue());
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("r--------"));
    }
    return dir;
  }

  @Override
  public void stop() {
    if (redis != null) {
      redis.stop();
    }
    if (postgres != null) {
      postgres.stop();
    }
    if (secretsDir != null) {
      try (Stream<Path> files = Files.list(secretsDir)) {
        for (Path file : files.toList()) {
          Files.delete(file);
        }
        Files.delete(secretsDir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete " + secretsDir, e);
      }
    }
  }

  static Connection asOwner() throws SQLException {
    return DriverManager.getConnection(
        postgres.getJdbcUrl(), NAMES.ownerRole(), SECRETS.databaseOwnerPassword());
  }

  private static void applySchema() throws SQLException, IOException {
    List<Path> scripts;
    try (Stream<Path> files = Files.list(TENANT_MIGRATIONS)) {
      scripts = files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
    }
    try (Connection owner = asOwner();
        Statement st = owner.createStatement()) {
      for (Path script : scripts) {
        st.execute(
            read(script)
                .replace("${app_role}", NAMES.appRole())
                .replace("${database}", NAMES.database()));
      }
      // As the migrator does: the driver sends a SCRAM verifier, never the password itself.
      owner
          .unwrap(PGConnection.class)
          .alterUserPassword(
              NAMES.appRole(), SECRETS.appDatabasePassword().toCharArray(), "scram-sha-256");
    }
  }

  private static String read(Path script) {
    try {
      return Files.readString(script);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static UUID createOrganization(String name, String slug) throws SQLException {
    try (Connection owner = asOwner();
        PreparedStatement insert =
            owner.prepareStatement(
                "INSERT INTO organizations (name, slug) VALUES (?, ?) RETURNING id")) {
      insert.setString(1, name);
      insert.setString(2, slug);
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        return rs.getObject(1, UUID.class);
      }
    }
  }
}
