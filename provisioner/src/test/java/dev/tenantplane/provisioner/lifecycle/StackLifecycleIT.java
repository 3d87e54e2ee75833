package dev.tenantplane.provisioner.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import dev.tenantplane.common.events.BackupCompleted;
import dev.tenantplane.common.events.BackupFile;
import dev.tenantplane.common.events.BackupRequested;
import dev.tenantplane.common.events.BackupRestored;
import dev.tenantplane.common.events.ContainerRestarted;
import dev.tenantplane.common.events.ContainersRemoved;
import dev.tenantplane.common.events.ContainersStarted;
import dev.tenantplane.common.events.CustomerArchived;
import dev.tenantplane.common.events.CustomerDeprovisioned;
import dev.tenantplane.common.events.CustomerRequested;
import dev.tenantplane.common.events.CustomerResumeRequested;
import dev.tenantplane.common.events.CustomerResumed;
import dev.tenantplane.common.events.CustomerSuspendRequested;
import dev.tenantplane.common.events.CustomerSuspended;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.ResourcesAllocated;
import dev.tenantplane.common.events.ResourcesReleased;
import dev.tenantplane.common.events.RestartRequested;
import dev.tenantplane.common.events.RestoreRequested;
import dev.tenantplane.common.events.RoutesWithdrawn;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.common.naming.Plan;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.common.testing.BusProbe;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.TestInfrastructure;
import dev.tenantplane.provisioner.SmallDisk;
import dev.tenantplane.provisioner.TestStacks;
import dev.tenantplane.provisioner.allocation.AllocationStore;
import dev.tenantplane.provisioner.backup.BackupCipher;
import dev.tenantplane.provisioner.backup.BackupRole;
import dev.tenantplane.provisioner.backup.StoredBackup;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One customer's whole life on the real engine, bus and database: provisioned, its allocation
 * redelivered (unchanged, after a lost container, with another plan), suspended, resumed,
 * restarted, backed up, restored, archived, brought back as its second generation on the retained
 * data, archived again and purged. The methods run in order on the same stack, because starting a
 * stack is the expensive part.
 */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres"))
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StackLifecycleIT {
  private static final Duration START_WAIT = Duration.ofSeconds(180);
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int SECOND_LIFE = 2;
  private static final Path CUSTOMERS = Path.of("target/customers");
  private static final List<String> SECRET_VARIABLES =
      List.of("DB_PASSWORD", "DB_APP_PASSWORD", "REDIS_PASSWORD", "JWT_SECRET", "ENCRYPTION_KEY");
  // Written into the database and Redis before the backup: no backup file may show them in plain.
  private static final String KEPT_ROW = "kept row 5b7e19 of backup_probe";
  private static final String KEPT_VALUE = "kept value 0c44d2 of redis";
  private static final String ARCHIVED_ROW = "written by the second life";

  @Inject DockerClient docker;
  @Inject AllocationStore store;
  @Inject BackupCipher cipher;

  private final String id = TestStacks.customerId("life");
  private final TenantNames names = new TenantNames(id);
  private final int appPort = TestStacks.freeRequestedPort(950, 999);
  private BusProbe bus;
  private ResourcesAllocated allocated;
  private ContainersStarted started;
  private final Set<UUID> expectedFailures = new HashSet<>();
  private BackupCompleted backup;

  @BeforeAll
  void openProbe() {
    bus =
        new BusProbe(
            TestInfrastructure.kafka().bootstrapServers(),
            List.of(
                EventType.RESOURCES_ALLOCATED.topic(),
                EventType.CONTAINERS_STARTED.topic(),
                EventType.STEP_FAILED.topic(),
                EventType.CUSTOMER_SUSPENDED.topic(),
                EventType.CUSTOMER_RESUMED.topic(),
                EventType.CONTAINER_RESTARTED.topic(),
                EventType.BACKUP_COMPLETED.topic(),
                EventType.BACKUP_RESTORED.topic(),
                EventType.CONTAINERS_REMOVED.topic(),
                EventType.RESOURCES_RELEASED.topic(),
                EventType.CUSTOMER_DEPROVISIONED.topic(),
                EventType.CUSTOMER_ARCHIVED.topic()));
  }

  @AfterAll
  void removeTheTestStack() {
    bus.close();
    TestStacks.removeEverythingLabelledFor(docker, List.of(id));
  }

  @Test
  @Order(1)
  void requestedCustomerGetsFourHardenedContainersFilesAndAReachableDatabase() throws Exception {
    CustomerRequested request =
        new CustomerRequested(
            EventMeta.start(id, Clock.systemUTC()), "Life & Sons", "small", appPort);
    bus.publish(request);

    allocated = awaitOne(ResourcesAllocated.class, e -> true, WAIT);
    assertThat(allocated.ports().app()).isEqualTo(appPort);
    assertThat(allocated.ports().database()).isEqualTo(appPort - 3000 + 5432);
    started = awaitOne(ContainersStarted.class, e -> true, START_WAIT);
    assertThat(started.meta().causationId()).isEqualTo(allocated.meta().eventId());
    assertThat(started.meta().correlationId()).isEqualTo(request.meta().correlationId());
    assertThat(started.containers()).isEqualTo(names.containers());
    assertThat(started.network()).isEqualTo(names.network());
    assertThat(started.credentials()).isEqualTo(allocated.credentials());

    assertThat(containerNames()).containsExactlyInAnyOrderElementsOf(names.containers());
    for (String name : names.containers()) {
      assertHardened(docker.inspectContainerCmd(name).exec(), name);
    }
    assertLimits(names.databaseContainer(), Plan.SMALL.database());
    assertLimits(names.appContainer(), Plan.SMALL.app());
    assertPublishedOnLoopback(names.appContainer(), 3000, appPort);
    assertPublishedOnLoopback(names.databaseContainer(), 5432, allocated.ports().database());
    assertPublishedOnLoopback(names.redisContainer(), 6379, allocated.ports().redis());
    Ports workerPorts =
        docker
            .inspectContainerCmd(names.workerContainer())
            .exec()
            .getHostConfig()
            .getPortBindings();
    assertThat(workerPorts == null ? Map.of() : workerPorts.getBindings()).isEmpty();
    assertThat(docker.inspectNetworkCmd().withNetworkId(names.network()).exec().getLabels())
        .containsEntry(TenantNames.CUSTOMER_LABEL, id)
        .containsEntry("tenantplane.test", "true");

    Path folder = CUSTOMERS.resolve(id);
    assertThat(mode(folder)).isEqualTo("rwx------");
    assertThat(mode(folder.resolve(".env"))).isEqualTo("rw-------");
    assertThat(folder.resolve("docker-compose.yml")).exists();
    assertThat(mode(folder.resolve("secrets"))).isEqualTo("rwx------");
    for (String secret : SECRET_VARIABLES) {
      assertThat(mode(folder.resolve("secrets").resolve(secret))).as(secret).isEqualTo("r--r-----");
    }
    assertThat(folder.resolve("CUSTOMER_MANIFEST.md"))
        .content()
        .contains("Application:            localhost:" + appPort);
    assertThat(composePs(folder))
        .contains(names.containers().toArray(String[]::new))
        .contains("127.0.0.1:" + appPort + "->3000/tcp");

    Map<String, String> env = TestStacks.readEnv(folder.resolve(".env"));
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:"
                    + allocated.ports().database()
                    + "/"
                    + names.database(),
                names.ownerRole(),
                env.get("DB_PASSWORD"));
        ResultSet r = c.createStatement().executeQuery("SELECT current_user, current_database()")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getString(1)).isEqualTo(names.ownerRole());
      assertThat(r.getString(2)).isEqualTo(names.database());
    }
  }

  /**
   * What anyone who can read the engine's API sees: no container shows a secret in {@code docker
   * inspect} (environment, command, labels, health check, mounts) or in the command lines of its
   * processes, while the app answers, which it does only once it reached its database and Redis
   * with the passwords it read from its files (and the worker's health check likewise).
   */
  @Test
  @Order(2)
  void noContainerShowsASecretToTheEngineWhileTheAppAnswers() throws Exception {
    Map<String, String> env = TestStacks.readEnv(CUSTOMERS.resolve(id).resolve(".env"));
    List<String> secrets = SECRET_VARIABLES.stream().map(env::get).toList();
    assertThat(secrets).allSatisfy(secret -> assertThat(secret).hasSizeGreaterThanOrEqualTo(16));
    // The app's role, as the migrator makes it (it does not run here); the app logs in as it.
    try (Connection c = ownerConnection();
        var create =
            c.prepareStatement("SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', ?, ?)")) {
      create.setString(1, names.appRole());
      create.setString(2, env.get("DB_APP_PASSWORD"));
      try (ResultSet r = create.executeQuery()) {
        assertThat(r.next()).isTrue();
        c.createStatement().execute(r.getString(1));
      }
    }
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest health =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appPort + "/api/health"))
            .timeout(Duration.ofSeconds(5))
            .build();

    Awaitility.await("the app answers healthy")
        .atMost(START_WAIT)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200));
    Awaitility.await("the worker's health check passes")
        .atMost(START_WAIT)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () ->
                assertThat(
                        docker
                            .inspectContainerCmd(names.workerContainer())
                            .exec()
                            .getState()
                            .getHealth()
                            .getStatus())
                    .isEqualTo("healthy"));

    for (String name : names.containers()) {
      InspectContainerResponse c = docker.inspectContainerCmd(name).exec();
      assertThat(c.getConfig().getEnv())
          .as(name + " environment")
          .noneMatch(e -> e.matches("[A-Z_]*(PASSWORD|SECRET|KEY)=.*"));
      String seen =
          String.join(
              "\n",
              docker("inspect", name),
              docker("top", name, "-o", "pid,args"),
              String.join(" ", c.getConfig().getEnv()),
              String.valueOf(c.getConfig().getLabels()));
      for (int i = 0; i < secrets.size(); i++) {
        assertThat(seen)
            .as(name + " shows " + SECRET_VARIABLES.get(i))
            .doesNotContain(secrets.get(i));
      }
    }
  }

  @Test
  @Order(3)
  void redeliveredAllocationConvergesOnTheSameFourContainers() {
    Map<String, String> before = containerIds();
    redeliverAllocation(allocated.plan(), 2);

    assertThat(containerIds()).isEqualTo(before);
  }

  @Test
  @Order(4)
  void retryAfterACrashHalfwayRecreatesOnlyTheMissingContainer() {
    Map<String, String> before = containerIds();
    docker.removeContainerCmd(names.workerContainer()).withForce(true).exec();

    redeliverAllocation(allocated.plan(), 3);

    Map<String, String> after = containerIds();
    assertThat(after.keySet()).containsExactlyInAnyOrderElementsOf(names.containers());
    assertThat(after.get(names.workerContainer()))
        .isNotEqualTo(before.get(names.workerContainer()));
    assertThat(after.get(names.databaseContainer()))
        .isEqualTo(before.get(names.databaseContainer()));
  }

  @Test
  @Order(5)
  void changedSpecReplacesTheContainersBuiltFromTheOldOne() {
    Map<String, String> before = containerIds();

    redeliverAllocation("large", 4);

    Map<String, String> after = containerIds();
    assertThat(after).hasSize(4);
    assertThat(after.get(names.appContainer())).isNotEqualTo(before.get(names.appContainer()));
    assertLimits(names.appContainer(), Plan.LARGE.app());
    assertLimits(names.databaseContainer(), Plan.LARGE.database());
  }

  @Test
  @Order(6)
  void dockerComposeUpInTheFolderFindsEveryContainerUpToDate() throws Exception {
    Map<String, String> before = containerIds();

    String out = compose(CUSTOMERS.resolve(id), "up", "-d");

    assertThat(out).doesNotContain("Recreating").contains("is up-to-date");
    assertThat(containerIds()).as(out).isEqualTo(before);
  }

  @Test
  @Order(7)
  void suspendStopsTheStackAndResumeBringsItBack() {
    bus.publish(new CustomerSuspendRequested(EventMeta.start(id, Clock.systemUTC())));
    awaitOne(CustomerSuspended.class, e -> true, WAIT);
    assertThat(names.containers()).noneMatch(this::running);

    bus.publish(new CustomerResumeRequested(EventMeta.start(id, Clock.systemUTC())));
    awaitOne(CustomerResumed.class, e -> true, START_WAIT);
    assertThat(names.containers()).allMatch(this::running);
  }

  @Test
  @Order(8)
  void restartRestartsOnlyTheCustomersNamedContainer() {
    String redisStartedAt = startedAt(names.redisContainer());
    String dbStartedAt = startedAt(names.databaseContainer());

    bus.publish(
        new RestartRequested(
            EventMeta.start(id, Clock.systemUTC()), names.redisContainer(), "redis", "test", 1));
    ContainerRestarted restarted = awaitOne(ContainerRestarted.class, e -> true, WAIT);

    assertThat(restarted.container()).isEqualTo(names.redisContainer());
    assertThat(startedAt(names.redisContainer())).isNotEqualTo(redisStartedAt);
    assertThat(startedAt(names.databaseContainer())).isEqualTo(dbStartedAt);

    bus.publish(
        new RestartRequested(
            EventMeta.start(id, Clock.systemUTC()), "db-someone-else", "db", "test", 1));
    StepFailed refused =
        awaitOne(StepFailed.class, e -> e.reason().contains("db-someone-else"), WAIT);
    assertThat(refused.retryable()).isFalse();
    expectedFailures.add(refused.meta().eventId());
  }

  @Test
  @Order(9)
  void backupWritesACheckedEncryptedDatabaseArchiveAndRedisSnapshotOnlyTheOwnerCanRead()
      throws Exception {
    try (Connection c = ownerConnection()) {
      c.createStatement().execute("CREATE TABLE backup_probe (note text)");
      c.createStatement().execute("INSERT INTO backup_probe VALUES ('" + KEPT_ROW + "')");
    }
    assertThat(TestStacks.redisCli(names.redisContainer(), "SET", "probe", KEPT_VALUE))
        .isEqualTo("OK");
    Set<String> volumesBefore = danglingVolumes();
    BackupRequested request =
        new BackupRequested(EventMeta.start(id, Clock.systemUTC()), List.of());
    bus.publish(request);

    BackupCompleted done =
        awaitOne(BackupCompleted.class, e -> e.backupId().equals(request.backupId()), WAIT);

    Path dir = CUSTOMERS.resolve(id).resolve("backups").resolve(request.backupId().toString());
    assertThat(mode(dir)).isEqualTo("rwx------");
    assertThat(done.schemaVersion()).as("no migration ran in this test").isNull();
    assertThat(done.restoredRows())
        .as("restored into a scratch database, with the rows the archive holds")
        .contains(new BackupCompleted.TableRows("public.backup_probe", 1));
    for (BackupFile file : List.of(done.database(), done.redis())) {
      Path path = Path.of(file.path());
      assertThat(path.getParent().toAbsolutePath()).isEqualTo(dir.toAbsolutePath());
      assertThat(mode(path)).isEqualTo("rw-------");
      assertThat(Files.size(path)).isEqualTo(file.bytes());
      assertThat(file.sha256())
          .isEqualTo(
              HexFormat.of()
                  .formatHex(
                      MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path))));
    }
    // On disk: encrypted, nothing of the data in plain; through the platform's key: the archive
    // and the snapshot as pg_dump and Redis wrote them.
    for (BackupFile file : List.of(done.database(), done.redis())) {
      String stored =
          new String(Files.readAllBytes(Path.of(file.path())), StandardCharsets.ISO_8859_1);
      assertThat(stored).startsWith("TPBACKUP");
      assertThat(stored)
          .doesNotContain(KEPT_ROW)
          .doesNotContain(KEPT_VALUE)
          .doesNotContain("backup_probe")
          .doesNotContain("PGDMP")
          .doesNotContain("REDIS");
    }
    String archive = plain(done.database(), BackupRole.DATABASE_ARCHIVE);
    assertThat(archive).startsWith("PGDMP").contains("CREATE TABLE public.backup_probe");
    String snapshot = plain(done.redis(), BackupRole.REDIS_SNAPSHOT);
    assertThat(snapshot).startsWith("REDIS").contains(KEPT_VALUE);
    assertThat(containerNames()).containsExactlyInAnyOrderElementsOf(names.containers());
    assertThat(danglingVolumes())
        .as("volumes left by the containers that checked the files")
        .isSubsetOf(volumesBefore);
    backup = done;
  }

  @Test
  @Order(10)
  void aNewerBackupPrunesTheOnesOutsideRetentionOnlyOnceItIsWrittenAndChecked() {
    UUID older = backup.backupId();
    Path olderDir = CUSTOMERS.resolve(id).resolve("backups").resolve(older.toString());
    assertThat(olderDir).isDirectory();
    BackupRequested request =
        new BackupRequested(EventMeta.start(id, Clock.systemUTC()), List.of(older));
    bus.publish(request);

    BackupCompleted done =
        awaitOne(BackupCompleted.class, e -> e.backupId().equals(request.backupId()), WAIT);

    assertThat(done.pruned()).containsExactly(older);
    assertThat(olderDir).doesNotExist();
    assertThat(Path.of(done.database().path())).isRegularFile();
    assertThat(Path.of(done.redis().path())).isRegularFile();
    backup = done;
  }

  @Test
  @Order(11)
  void restorePutsBackTheBackupsDatabaseAndRedisAndStartsTheStackAgain() throws Exception {
    try (Connection c = ownerConnection()) {
      c.createStatement().execute("INSERT INTO backup_probe VALUES ('written after the backup')");
      c.createStatement().execute("CREATE TABLE after_backup (x int)");
    }
    TestStacks.redisCli(names.redisContainer(), "SET", "probe", "changed");
    TestStacks.redisCli(names.redisContainer(), "SET", "extra", "1");
    assertThat(notes()).contains("written after the backup");
    RestoreRequested fromTheFuture =
        new RestoreRequested(
            EventMeta.start(id, Clock.systemUTC()),
            backup.backupId(),
            "999",
            backup.database().sha256(),
            backup.redis().sha256());
    bus.publish(fromTheFuture);
    StepFailed tooNew =
        awaitOne(
            StepFailed.class,
            e -> e.meta().correlationId().equals(fromTheFuture.meta().correlationId()),
            WAIT);
    expectedFailures.add(tooNew.meta().eventId());
    assertThat(tooNew.retryable()).isFalse();
    assertThat(tooNew.reason()).contains("is at schema version 999, newer than the database's");
    RestoreRequested tampered =
        new RestoreRequested(
            EventMeta.start(id, Clock.systemUTC()),
            backup.backupId(),
            backup.schemaVersion(),
            "0".repeat(64),
            backup.redis().sha256());
    bus.publish(tampered);
    StepFailed refused =
        awaitOne(
            StepFailed.class,
            e -> e.meta().correlationId().equals(tampered.meta().correlationId()),
            WAIT);
    expectedFailures.add(refused.meta().eventId());
    assertThat(refused.retryable()).isFalse();
    assertThat(refused.reason()).contains("does not match the SHA-256");
    assertThat(TestStacks.redisCli(names.redisContainer(), "GET", "probe"))
        .as("nothing restored")
        .isEqualTo("changed");

    RestoreRequested request =
        new RestoreRequested(
            EventMeta.start(id, Clock.systemUTC()),
            backup.backupId(),
            backup.schemaVersion(),
            backup.database().sha256(),
            backup.redis().sha256());
    bus.publish(request);

    UUID run = request.meta().correlationId();
    BackupRestored restored =
        awaitOne(BackupRestored.class, e -> e.meta().correlationId().equals(run), START_WAIT);
    ContainersStarted startedAgain =
        awaitOne(ContainersStarted.class, e -> e.meta().correlationId().equals(run), WAIT);
    assertThat(restored.backupId()).isEqualTo(backup.backupId());
    assertThat(startedAgain.meta().causationId()).isEqualTo(restored.meta().eventId());
    assertThat(startedAgain.ports()).isEqualTo(allocated.ports());
    assertThat(names.containers()).allMatch(this::running);
    try (Connection c = ownerConnection();
        ResultSet notes = c.createStatement().executeQuery("SELECT note FROM backup_probe");
        ResultSet gone =
            c.createStatement().executeQuery("SELECT to_regclass('after_backup') IS NULL")) {
      List<String> kept = new ArrayList<>();
      while (notes.next()) {
        kept.add(notes.getString(1));
      }
      assertThat(kept).as("the row hidden in the encrypted backup").containsExactly(KEPT_ROW);
      assertThat(gone.next() && gone.getBoolean(1)).as("table made after the backup").isTrue();
    }
    assertThat(TestStacks.redisCli(names.redisContainer(), "GET", "probe")).isEqualTo(KEPT_VALUE);
    assertThat(TestStacks.redisCli(names.redisContainer(), "EXISTS", "extra")).isEqualTo("0");
  }

  /**
   * A backup written before backups were encrypted (plain files, no header) still restores: its
   * files are the plain content of the last backup, put in a backup folder of their own with their
   * own checksums.
   */
  @Test
  @Order(12)
  void aPlainBackupFromBeforeEncryptionStillRestores() throws Exception {
    UUID legacy = UUID.randomUUID();
    Path dir = CUSTOMERS.resolve(id).resolve("backups").resolve(legacy.toString());
    Files.createDirectories(dir);
    Path database = dir.resolve("database.dump");
    Path redis = dir.resolve("redis.rdb");
    copyPlain(backup.database(), BackupRole.DATABASE_ARCHIVE, database);
    copyPlain(backup.redis(), BackupRole.REDIS_SNAPSHOT, redis);
    assertThat(BackupCipher.encrypted(database)).isFalse();
    try (Connection c = ownerConnection()) {
      c.createStatement().execute("INSERT INTO backup_probe VALUES ('after, again')");
    }

    RestoreRequested request =
        new RestoreRequested(
            EventMeta.start(id, Clock.systemUTC()),
            legacy,
            backup.schemaVersion(),
            sha256(database),
            sha256(redis));
    bus.publish(request);
    UUID run = request.meta().correlationId();
    awaitOne(BackupRestored.class, e -> e.meta().correlationId().equals(run), START_WAIT);
    awaitOne(ContainersStarted.class, e -> e.meta().correlationId().equals(run), WAIT);

    assertThat(notes()).containsExactly(KEPT_ROW);
    assertThat(TestStacks.redisCli(names.redisContainer(), "GET", "probe")).isEqualTo(KEPT_VALUE);
  }

  private List<String> notes() throws Exception {
    return notes("backup_probe");
  }

  private String plain(BackupFile file, BackupRole role) throws IOException {
    try (InputStream in = cipher.open(new StoredBackup(Path.of(file.path()), id, role))) {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private String plain(Path file, BackupRole role) throws IOException {
    try (InputStream in = cipher.open(new StoredBackup(file, id, role))) {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private void copyPlain(BackupFile file, BackupRole role, Path target) throws IOException {
    try (InputStream in = cipher.open(new StoredBackup(Path.of(file.path()), id, role))) {
      Files.copy(in, target);
    }
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  @Test
  @Order(13)
  void backupOnAFullDiskFailsSayingWhyLeavesNoFileAndTheNextRequestSucceeds() throws Exception {
    Path backups = CUSTOMERS.resolve(id).resolve("backups");
    try (SmallDisk disk = SmallDisk.mount(backups, "256k")) {
      disk.fill();
      BackupRequested full = new BackupRequested(EventMeta.start(id, Clock.systemUTC()), List.of());
      bus.publish(full);

      List<StepFailed> failures =
          await(
              StepFailed.class,
              events -> events.stream().anyMatch(e -> causedBy(e, full) && !e.retryable()),
              WAIT);
      List<StepFailed> mine = failures.stream().filter(e -> causedBy(e, full)).toList();
      assertThat(mine).extracting(StepFailed::step).containsOnly(Step.BACKUP);
      assertThat(mine).allSatisfy(e -> assertThat(e.reason()).contains("No space left on device"));
      mine.forEach(e -> expectedFailures.add(e.meta().eventId()));
      try (var left = Files.list(backups)) {
        assertThat(left.map(p -> p.getFileName().toString()))
            .as("no backup folder and no partial file")
            .containsExactly(SmallDisk.FILLER);
      }
      assertThat(bus.events(BackupCompleted.class))
          .noneMatch(e -> e.backupId().equals(full.backupId()));

      disk.free();
      BackupRequested next = new BackupRequested(EventMeta.start(id, Clock.systemUTC()), List.of());
      bus.publish(next);
      BackupCompleted done =
          awaitOne(BackupCompleted.class, e -> e.backupId().equals(next.backupId()), WAIT);
      assertThat(Path.of(done.database().path())).isRegularFile().startsWith(backups);
    }
  }

  private static boolean causedBy(StepFailed failed, BackupRequested request) {
    return request.meta().eventId().equals(failed.meta().causationId());
  }

  @Test
  @Order(14)
  void backupOfACustomerWithoutAStackIsRefusedAndNotRetried() {
    String stranger = TestStacks.customerId("nostack");
    BackupRequested request =
        new BackupRequested(EventMeta.start(stranger, Clock.systemUTC()), List.of());
    bus.publish(request);

    StepFailed refused =
        Awaitility.await()
            .atMost(WAIT)
            .until(
                () ->
                    bus.events(StepFailed.class).stream()
                        .filter(e -> e.customerId().equals(stranger))
                        .findFirst(),
                Optional::isPresent)
            .orElseThrow();
    assertThat(refused.step()).isEqualTo(Step.BACKUP);
    assertThat(refused.retryable()).isFalse();
    assertThat(refused.reason()).isEqualTo("customer " + stranger + ": no stack to back up");
    assertThat(CUSTOMERS.resolve(stranger)).doesNotExist();
  }

  @Test
  @Order(15)
  void deprovisionWithoutPurgeArchivesKeepingVolumesBackupFilesAndAllocation() throws Exception {
    writeKeptNote("written before archiving");
    bus.publish(new RoutesWithdrawn(EventMeta.start(id, Clock.systemUTC()), false));

    ContainersRemoved removed = awaitOne(ContainersRemoved.class, e -> !e.purge(), WAIT);
    CustomerArchived archived = awaitOne(CustomerArchived.class, e -> true, WAIT);

    Path backup = Path.of(removed.backupFile());
    assertThat(archived.backupFile()).isEqualTo(removed.backupFile());
    assertThat(backup.getFileName().toString()).isEqualTo(names.database() + "-archive.sql");
    assertThat(mode(backup)).isEqualTo("rw-------");
    assertThat(Files.readString(backup, StandardCharsets.ISO_8859_1))
        .startsWith("TPBACKUP")
        .doesNotContain("written before archiving");
    assertThat(plain(backup, BackupRole.SQL_DUMP))
        .contains("written before archiving")
        .contains("PostgreSQL database dump complete");

    Map<String, String> label = Map.of(TenantNames.CUSTOMER_LABEL, id);
    assertThat(docker.listContainersCmd().withShowAll(true).withLabelFilter(label).exec())
        .as("no container left")
        .isEmpty();
    String filter = TenantNames.CUSTOMER_LABEL + "=" + id;
    assertThat(docker.listNetworksCmd().withFilter("label", List.of(filter)).exec()).isEmpty();
    assertThat(archived.volumes())
        .extracting(CustomerArchived.ArchivedVolume::name)
        .containsExactlyInAnyOrder(names.databaseVolume(), names.redisVolume());
    assertThat(archived.volumes())
        .as("the database volume holds a cluster")
        .filteredOn(v -> v.name().equals(names.databaseVolume()))
        .allSatisfy(v -> assertThat(v.bytes()).isGreaterThan(1_000_000));
    assertThat(docker.listVolumesCmd().withFilter("label", List.of(filter)).exec().getVolumes())
        .hasSize(2);
    assertThat(CUSTOMERS.resolve(id).resolve(".env")).exists();
    assertThat(store.find(id)).as("ports and secrets kept for the archived data").isPresent();
    assertThat(bus.events(ResourcesReleased.class))
        .filteredOn(e -> e.customerId().equals(id))
        .isEmpty();
  }

  /**
   * Brought back from the archive (its second generation): the allocate step hands out the retained
   * ports and credentials, the only ones the retained database volume accepts, and the stack runs
   * again on that volume.
   */
  @Test
  @Order(16)
  void anArchivedCustomerBroughtBackRunsAgainOnItsRetainedDataAndPorts() throws Exception {
    bus.publish(
        new CustomerRequested(
            EventMeta.start(id, SECOND_LIFE, Clock.systemUTC()), "Life & Sons", "small", null));

    ResourcesAllocated again = awaitOne(ResourcesAllocated.class, this::ofTheSecondLife, WAIT);
    assertThat(again.ports()).as("the retained ports").isEqualTo(allocated.ports());
    assertThat(again.credentials())
        .as("the retained credentials")
        .isEqualTo(allocated.credentials());
    ContainersStarted restarted =
        awaitOne(ContainersStarted.class, this::ofTheSecondLife, START_WAIT);
    assertThat(restarted.meta().correlationId()).isEqualTo(again.meta().correlationId());
    Awaitility.await("the four containers running again")
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(names.containers())
                    .allSatisfy(c -> assertThat(running(c)).as(c).isTrue()));
    assertThat(keptNotes())
        .as("rows written before archiving")
        .contains("written before archiving");
    assertThat(CUSTOMERS.resolve(id).resolve(".env")).exists();
  }

  /**
   * Archived again: the second life archives into a backup of its own, holding what it wrote,
   * rather than keeping the first life's archive (whose name is fixed) as if it were current.
   */
  @Test
  @Order(17)
  void archivingTheSecondLifeWritesItsOwnArchiveBackup() throws Exception {
    writeKeptNote(ARCHIVED_ROW);
    bus.publish(new RoutesWithdrawn(EventMeta.start(id, SECOND_LIFE, Clock.systemUTC()), false));

    ContainersRemoved removed =
        awaitOne(ContainersRemoved.class, e -> !e.purge() && ofTheSecondLife(e), WAIT);
    awaitOne(CustomerArchived.class, this::ofTheSecondLife, WAIT);
    Path backup = Path.of(removed.backupFile());
    assertThat(backup.getFileName().toString()).isEqualTo(names.database() + "-archive-g2.sql");
    assertThat(Files.readString(backup, StandardCharsets.ISO_8859_1)).doesNotContain(ARCHIVED_ROW);
    assertThat(plain(backup, BackupRole.SQL_DUMP)).contains(ARCHIVED_ROW);
    assertThat(backup.resolveSibling(names.database() + "-archive.sql"))
        .as("the first life's archive, kept")
        .exists();
    assertThat(containers()).as("no container left").isEmpty();
  }

  @Test
  @Order(18)
  void purgingAnArchivedCustomerReliesOnItsArchiveBackupAndLeavesNothingLabelled()
      throws Exception {
    bus.publish(new RoutesWithdrawn(EventMeta.start(id, SECOND_LIFE, Clock.systemUTC()), true));

    ContainersRemoved removed = awaitOne(ContainersRemoved.class, ContainersRemoved::purge, WAIT);
    awaitOne(ResourcesReleased.class, e -> true, WAIT);
    awaitOne(CustomerDeprovisioned.class, e -> true, WAIT);

    assertThat(Path.of(removed.backupFile()).getFileName().toString())
        .as("the archive's backup of the life purged, as no container could change the data since")
        .isEqualTo(names.database() + "-archive-g2.sql");
    Map<String, String> label = Map.of(TenantNames.CUSTOMER_LABEL, id);
    assertThat(docker.listContainersCmd().withShowAll(true).withLabelFilter(label).exec())
        .isEmpty();
    String filter = TenantNames.CUSTOMER_LABEL + "=" + id;
    assertThat(docker.listNetworksCmd().withFilter("label", List.of(filter)).exec()).isEmpty();
    assertThat(docker.listVolumesCmd().withFilter("label", List.of(filter)).exec().getVolumes())
        .isNullOrEmpty();
    assertThat(CUSTOMERS.resolve(id).resolve(".env")).doesNotExist();
    assertThat(Path.of(removed.backupFile())).as("backups outlive the purge").exists();
    assertThat(store.find(id)).as("ports and secrets released").isEmpty();
  }

  private boolean ofTheSecondLife(LifecycleEvent event) {
    return event.meta().generation() == SECOND_LIFE;
  }

  /** Adds a row to a table of the test's in the customer's database. */
  private void writeKeptNote(String note) throws Exception {
    try (Connection c = ownerConnection()) {
      c.createStatement().execute("CREATE TABLE IF NOT EXISTS kept_notes (note text)");
      try (var insert = c.prepareStatement("INSERT INTO kept_notes (note) VALUES (?)")) {
        insert.setString(1, note);
        insert.executeUpdate();
      }
    }
  }

  private List<String> keptNotes() throws Exception {
    return notes("kept_notes");
  }

  /** The column {@code note} of a table of the test's, in the customer's database. */
  private List<String> notes(String table) throws Exception {
    List<String> notes = new ArrayList<>();
    try (Connection c = ownerConnection();
        ResultSet r = c.createStatement().executeQuery("SELECT note FROM " + table)) {
      while (r.next()) {
        notes.add(r.getString(1));
      }
    }
    return notes;
  }

  /** Publishes the allocation again as a new event and waits for the n-th ContainersStarted. */
  private void redeliverAllocation(String plan, int startedCount) {
    bus.publish(
        new ResourcesAllocated(
            allocated.meta().next(Clock.systemUTC()),
            allocated.name(),
            plan,
            allocated.ports(),
            allocated.credentials()));
    await(ContainersStarted.class, events -> events.size() >= startedCount, START_WAIT);
  }

  private void assertHardened(InspectContainerResponse c, String name) {
    assertThat(c.getState().getRunning()).as(name + " running").isTrue();
    assertThat(c.getHostConfig().getCapDrop()).as(name).containsExactly(Capability.ALL);
    assertThat(c.getHostConfig().getSecurityOpts()).as(name).contains("no-new-privileges");
    assertThat(c.getHostConfig().getPrivileged()).as(name).isFalse();
    assertThat(c.getHostConfig().getRestartPolicy().getName()).isEqualTo("unless-stopped");
    assertThat(c.getConfig().getUser()).as(name + " user").isNotIn("", "root", "0");
    assertThat(c.getConfig().getLabels())
        .containsEntry(TenantNames.CUSTOMER_LABEL, id)
        .containsEntry("tenantplane.test", "true")
        .containsEntry("com.docker.compose.project", id)
        .containsEntry("com.docker.compose.service", name)
        .containsEntry("com.docker.compose.oneoff", "False")
        .containsEntry("com.docker.compose.container-number", "1")
        .containsKey("tenantplane.spec-hash");
    assertThat(c.getNetworkSettings().getNetworks().get(names.network()).getAliases())
        .contains(name);
  }

  private void assertLimits(String container, Plan.Limits limits) {
    var host = docker.inspectContainerCmd(container).exec().getHostConfig();
    assertThat(host.getMemory()).isEqualTo(limits.memoryMiB() * 1024L * 1024L);
    assertThat(host.getNanoCPUs()).isEqualTo(Math.round(limits.cpus() * 1e9));
    assertThat(host.getPidsLimit()).isEqualTo((long) limits.pids());
  }

  private void assertPublishedOnLoopback(String container, int inside, int hostPort) {
    Ports.Binding[] bindings =
        docker
            .inspectContainerCmd(container)
            .exec()
            .getHostConfig()
            .getPortBindings()
            .getBindings()
            .get(ExposedPort.tcp(inside));
    assertThat(bindings).hasSize(1);
    assertThat(bindings[0].getHostIp()).isEqualTo("127.0.0.1");
    assertThat(bindings[0].getHostPortSpec()).isEqualTo(String.valueOf(hostPort));
  }

  private List<String> containerNames() {
    return containers().stream().map(c -> c.getNames()[0].substring(1)).toList();
  }

  private Map<String, String> containerIds() {
    return containers().stream()
        .collect(Collectors.toMap(c -> c.getNames()[0].substring(1), Container::getId));
  }

  /** Volumes no container uses: what a removed container would have left behind. */
  private Set<String> danglingVolumes() {
    var volumes = docker.listVolumesCmd().withDanglingFilter(true).exec().getVolumes();
    return volumes == null
        ? Set.of()
        : volumes.stream().map(v -> v.getName()).collect(Collectors.toSet());
  }

  private List<Container> containers() {
    return docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(TenantNames.CUSTOMER_LABEL, id))
        .exec();
  }

  private boolean running(String container) {
    return Boolean.TRUE.equals(
        docker.inspectContainerCmd(container).exec().getState().getRunning());
  }

  private String startedAt(String container) {
    return docker.inspectContainerCmd(container).exec().getState().getStartedAt();
  }

  private <E extends LifecycleEvent> E awaitOne(
      Class<E> type, Predicate<E> match, Duration timeout) {
    List<E> events = await(type, list -> list.stream().anyMatch(match), timeout);
    return events.stream().filter(match).findFirst().orElseThrow();
  }

  /**
   * Waits until the condition holds for this customer's events of the type, failing fast on a
   * failed step that will not be retried.
   */
  private <E extends LifecycleEvent> List<E> await(
      Class<E> type, Predicate<List<E>> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<E> mine = bus.events(type).stream().filter(e -> e.customerId().equals(id)).toList();
      if (condition.test(mine)) {
        return mine;
      }
      List<StepFailed> fatal =
          bus.events(StepFailed.class).stream()
              .filter(e -> e.customerId().equals(id) && !e.retryable())
              .filter(e -> !expectedFailures.contains(e.meta().eventId()))
              .filter(e -> type != StepFailed.class)
              .toList();
      assertThat(fatal).as("failed steps while waiting for " + type.getSimpleName()).isEmpty();
      assertThat(System.nanoTime()).as("waiting for " + type.getSimpleName()).isLessThan(deadline);
    }
  }

  /** A connection to the customer's database as its owner, with the password from .env. */
  private Connection ownerConnection() throws Exception {
    Map<String, String> env = TestStacks.readEnv(CUSTOMERS.resolve(id).resolve(".env"));
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + allocated.ports().database() + "/" + names.database(),
        names.ownerRole(),
        env.get("DB_PASSWORD"));
  }

  /** The docker CLI's output, as a user reads it. */
  private static String docker(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(command + " finished").isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private static String composePs(Path folder) throws Exception {
    return compose(folder, "ps");
  }

  /** docker-compose with ARGS in the customer's folder, as the manifest prints it. */
  private static String compose(Path folder, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("docker-compose"));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(command + " finished").isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
