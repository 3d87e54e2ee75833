package dev.tenantplane.provisioner.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import dev.tenantplane.common.events.BackupCompleted;
import dev.tenantplane.common.events.BackupRequested;
import dev.tenantplane.common.events.BackupRestored;
import dev.tenantplane.common.events.ContainersStarted;
import dev.tenantplane.common.events.CustomerRequested;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.events.RestoreRequested;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.common.testing.BusProbe;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.TestInfrastructure;
import dev.tenantplane.provisioner.TestStacks;
import dev.tenantplane.provisioner.allocation.AllocationStore;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A backup of one customer (the source) restored into another (the target, a clone for support or
 * staging), on two real stacks: the target's app serves the source's rows, its app role is still
 * bound by Row-Level Security, everything in its database belongs to and is granted to its own
 * roles, its own passwords and JWT secret work and the source's do not; the source is untouched.
 * The migrator does not run here: its first migration is applied to both databases as it would.
 */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres"))
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestoreIntoAnotherCustomerIT {
  private static final Duration START_WAIT = Duration.ofSeconds(300);
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final Path CUSTOMERS = Path.of("target/customers");
  private static final Path FIRST_MIGRATION =
      Path.of("../migrator/src/main/resources/tenant-db/V1__organizations_and_sales.sql");
  private static final String SOURCE_CONTACT = "written through the app of the source";
  private static final String OTHER_ORG_CONTACT = "of another organization of the source";
  private static final String TARGET_CONTACT = "the own contact of the target";

  @Inject DockerClient docker;
  @Inject AllocationStore store;

  private final HttpClient http = HttpClient.newHttpClient();
  private final Stack source = new Stack(TestStacks.customerId("pv-clone-src"));
  private final Stack target = new Stack(TestStacks.customerId("pv-clone-dst"));
  private final Set<UUID> expectedFailures = new HashSet<>();
  private BusProbe bus;

  /** One test stack: its names, ports and the secrets of its folder. */
  private static final class Stack {
    final String id;
    final TenantNames names;
    PortAssignment ports;
    Map<String, String> env;
    UUID organization;

    Stack(String id) {
      this.id = id;
      this.names = new TenantNames(id);
    }
  }

  @BeforeAll
  void provisionTwoStacksWithTheSchemaAndTheirApps() throws Exception {
    bus =
        new BusProbe(
            TestInfrastructure.kafka().bootstrapServers(),
            List.of(EventType.CONTAINERS_STARTED.topic()));
    int sourcePort = TestStacks.freeRequestedPort(900, 924);
    int targetPort = TestStacks.freeRequestedPort(925, 949);
    bus.publish(
        new CustomerRequested(
            EventMeta.start(source.id, Clock.systemUTC()), "Source", "small", sourcePort));
    bus.publish(
        new CustomerRequested(
            EventMeta.start(target.id, Clock.systemUTC()), "Target", "small", targetPort));
    for (Stack stack : List.of(source, target)) {
      stack.ports = awaitOne(ContainersStarted.class, stack.id, e -> true, START_WAIT).ports();
      stack.env = TestStacks.readEnv(CUSTOMERS.resolve(stack.id).resolve(".env"));
      migrate(stack);
      awaitAppHealthy(stack);
    }
  }

  @AfterAll
  void removeBothStacks() throws Throwable {
    if (bus != null) {
      bus.close();
    }
    TestStacks.removeEverythingLabelledFor(docker, List.of(source.id, target.id));
    for (String id : List.of(source.id, target.id)) {
      VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> store.release(id)));
      TestStacks.deleteFolder(CUSTOMERS.resolve(id));
    }
  }

  @Test
  void theSourcesBackupRestoredIntoTheTargetServesItsRowsUnderTheTargetsRolesAndSecrets()
      throws Exception {
    // The source's data: a contact through its app, another organization's contact, a Redis key.
    String sourceToken = token(source, source.organization);
    HttpResponse<String> created =
        post(source, "/api/contacts", sourceToken, "{\"name\":\"" + SOURCE_CONTACT + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    UUID otherOrg = UUID.randomUUID();
    try (Connection c = owner(source);
        var org =
            c.prepareStatement("INSERT INTO organizations (id, name, slug) VALUES (?, ?, ?)");
        var contact =
            c.prepareStatement("INSERT INTO contacts (organization_id, name) VALUES (?, ?)")) {
      org.setObject(1, otherOrg);
      org.setString(2, "Other");
      org.setString(3, "other");
      org.executeUpdate();
      contact.setObject(1, otherOrg);
      contact.setString(2, OTHER_ORG_CONTACT);
      contact.executeUpdate();
    }
    TestStacks.redisCli(source.names.redisContainer(), "SET", "clone-probe", "from the source");
    // The target's own data, which the restore replaces.
    HttpResponse<String> own =
        post(
            target,
            "/api/contacts",
            token(target, target.organization),
            "{\"name\":\"" + TARGET_CONTACT + "\"}");
    assertThat(own.statusCode()).as(own.body()).isEqualTo(201);
    TestStacks.redisCli(
        target.names.redisContainer(), "SET", "clone-probe", "the own key of the target");

    BackupRequested backupRequest =
        new BackupRequested(EventMeta.start(source.id, Clock.systemUTC()), List.of());
    bus.publish(backupRequest);
    BackupCompleted backup =
        awaitOne(
            BackupCompleted.class,
            source.id,
            e -> e.backupId().equals(backupRequest.backupId()),
            WAIT);
    Map<String, String> sourceStarts = startedAt(source);

    // A backup the source does not have is refused before the target's stack is touched.
    Map<String, String> targetStarts = startedAt(target);
    RestoreRequested missing =
        new RestoreRequested(
            EventMeta.start(target.id, Clock.systemUTC()),
            UUID.randomUUID(),
            null,
            backup.database().sha256(),
            backup.redis().sha256(),
            source.id);
    bus.publish(missing);
    StepFailed refused =
        awaitOne(
            StepFailed.class,
            target.id,
            e -> e.meta().correlationId().equals(missing.meta().correlationId()),
            WAIT);
    expectedFailures.add(refused.meta().eventId());
    assertThat(refused.retryable()).isFalse();
    assertThat(refused.reason()).contains("is missing; nothing restored");
    assertThat(startedAt(target))
        .as("the target's containers after a refusal")
        .isEqualTo(targetStarts);

    RestoreRequested clone =
        new RestoreRequested(
            EventMeta.start(target.id, Clock.systemUTC()),
            backup.backupId(),
            backup.schemaVersion(),
            backup.database().sha256(),
            backup.redis().sha256(),
            source.id);
    bus.publish(clone);
    UUID run = clone.meta().correlationId();
    BackupRestored restored =
        awaitOne(
            BackupRestored.class, target.id, e -> e.meta().correlationId().equals(run), START_WAIT);
    ContainersStarted startedAgain =
        awaitOne(
            ContainersStarted.class, target.id, e -> e.meta().correlationId().equals(run), WAIT);
    assertThat(restored.backupId()).isEqualTo(backup.backupId());
    assertThat(startedAgain.ports()).isEqualTo(target.ports);
    awaitAppHealthy(target);

    // The target's app, with the target's JWT secret, serves the source's organization and rows.
    HttpResponse<String> contacts =
        get(target, "/api/contacts", token(target, source.organization));
    assertThat(contacts.statusCode()).as(contacts.body()).isEqualTo(200);
    assertThat(contacts.body())
        .as("the target's contacts for the source's organization")
        .contains(SOURCE_CONTACT)
        .doesNotContain(OTHER_ORG_CONTACT)
        .doesNotContain(TARGET_CONTACT);
    HttpResponse<String> sourceSigned = get(target, "/api/contacts", sourceToken);
    assertThat(sourceSigned.statusCode())
        .as("a token signed with the source's JWT secret, at the target: %s", sourceSigned.body())
        .isEqualTo(401);

    // Row-Level Security still binds the target's app role, with the target's password.
    try (Connection app = connect(target, target.names.appRole(), "DB_APP_PASSWORD")) {
      assertThat(strings(app, "SELECT name FROM contacts")).as("no organization set").isEmpty();
      app.setAutoCommit(false);
      app.createStatement()
          .execute("SELECT set_config('app.current_org', '" + source.organization + "', true)");
      assertThat(strings(app, "SELECT name FROM contacts")).containsExactly(SOURCE_CONTACT);
      assertThat(strings(app, "SELECT CAST(id AS text) FROM organizations"))
          .containsExactly(source.organization.toString());
      assertThatThrownBy(
              () -> {
                try (var smuggle =
                    app.prepareStatement(
                        "INSERT INTO contacts (organization_id, name) VALUES (?, 'smuggled')")) {
                  smuggle.setObject(1, otherOrg);
                  smuggle.executeUpdate();
                }
              })
          .as("writing into another organization")
          .hasMessageContaining("row-level security");
      app.rollback();
    }

    // Everything in the target's database is its owner's and granted to its roles only.
    try (Connection c = owner(target)) {
      assertThat(strings(c, "SELECT name FROM contacts"))
          .containsExactlyInAnyOrder(SOURCE_CONTACT, OTHER_ORG_CONTACT);
      String targetOwner = target.names.ownerRole();
      assertThat(
              strings(
                  c,
                  "SELECT c.relname || ' owned by ' || pg_get_userbyid(c.relowner) FROM pg_class c"
                      + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
                      + " AND pg_get_userbyid(c.relowner) <> '"
                      + targetOwner
                      + "' UNION ALL SELECT p.proname || ' owned by ' ||"
                      + " pg_get_userbyid(p.proowner) FROM pg_proc p JOIN pg_namespace n ON n.oid"
                      + " = p.pronamespace WHERE n.nspname = 'public' AND"
                      + " pg_get_userbyid(p.proowner) <> '"
                      + targetOwner
                      + "'"))
          .as("objects not owned by " + targetOwner)
          .isEmpty();
      String grants =
          String.join(
              " ",
              strings(
                  c,
                  "SELECT coalesce(c.relacl::text, '') FROM pg_class c JOIN pg_namespace n ON"
                      + " n.oid = c.relnamespace WHERE n.nspname = 'public' UNION ALL SELECT"
                      + " coalesce(a.attacl::text, '') FROM pg_attribute a JOIN pg_class c ON"
                      + " c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE"
                      + " n.nspname = 'public' UNION ALL SELECT coalesce(p.proacl::text, '') FROM"
                      + " pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE"
                      + " n.nspname = 'public' UNION ALL SELECT nspacl::text FROM pg_namespace"
                      + " WHERE nspname = 'public'"));
      assertThat(grants)
          .as("the grants in the target's database")
          .contains(target.names.appRole() + "=arwd/" + targetOwner)
          .contains(target.names.appRole() + "=U/")
          .doesNotContain(source.names.appRole())
          .doesNotContain(source.names.ownerRole());
      assertThat(
              strings(
                  c,
                  "SELECT rolname FROM pg_roles WHERE rolname IN ('"
                      + source.names.ownerRole()
                      + "', '"
                      + source.names.appRole()
                      + "')"))
          .as("the source's roles in the target's server")
          .isEmpty();
    }
    for (String role : List.of(source.names.ownerRole(), target.names.ownerRole())) {
      assertThatThrownBy(() -> connectAs(target, role, source.env.get("DB_PASSWORD")).close())
          .as("%s with the source's owner password at the target", role)
          .isInstanceOf(SQLException.class);
    }
    for (String role : List.of(source.names.appRole(), target.names.appRole())) {
      assertThatThrownBy(() -> connectAs(target, role, source.env.get("DB_APP_PASSWORD")).close())
          .as("%s with the source's app password at the target", role)
          .isInstanceOf(SQLException.class);
    }

    // Redis: the source's snapshot, behind the target's password.
    assertThat(TestStacks.redisCli(target.names.redisContainer(), "GET", "clone-probe"))
        .isEqualTo("from the source");
    assertThat(redisAuth(target, target.env.get("REDIS_PASSWORD"))).isEqualTo("+OK");
    assertThat(redisAuth(target, source.env.get("REDIS_PASSWORD"))).startsWith("-WRONGPASS");

    // The source: not restarted, its rows, grants and Redis as they were.
    assertThat(startedAt(source)).as("the source's containers").isEqualTo(sourceStarts);
    HttpResponse<String> sourceContacts = get(source, "/api/contacts", sourceToken);
    assertThat(sourceContacts.statusCode()).as(sourceContacts.body()).isEqualTo(200);
    assertThat(sourceContacts.body()).contains(SOURCE_CONTACT);
    assertThat(TestStacks.redisCli(source.names.redisContainer(), "GET", "clone-probe"))
        .isEqualTo("from the source");
    try (Connection c = owner(source)) {
      assertThat(strings(c, "SELECT relacl::text FROM pg_class WHERE relname = 'contacts'"))
          .singleElement()
          .asString()
          .contains(source.names.appRole() + "=arwd/" + source.names.ownerRole());
    }
  }

  /**
   * The migrator's first migration, as it runs it: as the owner, with its placeholders; then the
   * app role's password from the customer's secrets. Remembers the default organization.
   */
  private void migrate(Stack stack) throws Exception {
    String sql =
        Files.readString(FIRST_MIGRATION)
            .replace("${app_role}", stack.names.appRole())
            .replace("${database}", stack.names.database());
    try (Connection c = owner(stack)) {
      c.createStatement().execute(sql);
      try (var alter = c.prepareStatement("SELECT format('ALTER ROLE %I PASSWORD %L', ?, ?)")) {
        alter.setString(1, stack.names.appRole());
        alter.setString(2, stack.env.get("DB_APP_PASSWORD"));
        try (ResultSet r = alter.executeQuery()) {
          assertThat(r.next()).isTrue();
          c.createStatement().execute(r.getString(1));
        }
      }
      stack.organization =
          UUID.fromString(strings(c, "SELECT CAST(id AS text) FROM organizations").get(0));
    }
  }

  private void awaitAppHealthy(Stack stack) {
    HttpRequest health =
        HttpRequest.newBuilder(URI.create(base(stack) + "/api/health"))
            .timeout(Duration.ofSeconds(5))
            .build();
    try {
      Awaitility.await(stack.id + "'s app answers healthy")
          .atMost(START_WAIT)
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(() -> http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          e.getMessage() + "; its log ends:\n" + dockerLogs(stack.names.appContainer()), e);
    }
  }

  /** An HS256 token for {@code organization}, signed with {@code stack}'s JWT secret. */
  private static String token(Stack stack, UUID organization) throws Exception {
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    String header =
        url.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String claims =
        url.encodeToString(
            ("{\"org\":\""
                    + organization
                    + "\",\"exp\":"
                    + Instant.now().plus(Duration.ofHours(1)).getEpochSecond()
                    + "}")
                .getBytes(StandardCharsets.UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(
        new SecretKeySpec(
            stack.env.get("JWT_SECRET").getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] signature = mac.doFinal((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
    return header + "." + claims + "." + url.encodeToString(signature);
  }

  private HttpResponse<String> get(Stack stack, String path, String token) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base(stack) + path))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(Stack stack, String path, String token, String json)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base(stack) + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String base(Stack stack) {
    return "http://127.0.0.1:" + stack.ports.app();
  }

  private static Connection owner(Stack stack) throws SQLException {
    return connect(stack, stack.names.ownerRole(), "DB_PASSWORD");
  }

  private static Connection connect(Stack stack, String role, String passwordVariable)
      throws SQLException {
    return connectAs(stack, role, stack.env.get(passwordVariable));
  }

  private static Connection connectAs(Stack stack, String role, String password)
      throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + stack.ports.database() + "/" + stack.names.database(),
        role,
        password);
  }

  private static List<String> strings(Connection c, String query) throws SQLException {
    List<String> values = new ArrayList<>();
    try (ResultSet r = c.createStatement().executeQuery(query)) {
      while (r.next()) {
        values.add(r.getString(1));
      }
    }
    return values;
  }

  /** The answer of Redis on the stack's published port to AUTH with {@code password}. */
  private static String redisAuth(Stack stack, String password) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", stack.ports.redis())) {
      socket.setSoTimeout(5000);
      byte[] secret = password.getBytes(StandardCharsets.UTF_8);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("*2\r\n$4\r\nAUTH\r\n$" + secret.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(secret);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int b = in.read(); b != -1 && b != '\r'; b = in.read()) {
        line.append((char) b);
      }
      return line.toString();
    }
  }

  private static String dockerLogs(String container) {
    try {
      return run(List.of("docker", "logs", "--tail", "40", container));
    } catch (Exception | AssertionError e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static String run(List<String> argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(argv + " finished").isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  /** When each of the stack's containers last started. */
  private Map<String, String> startedAt(Stack stack) {
    Map<String, String> starts = new HashMap<>();
    for (String container : stack.names.containers()) {
      starts.put(container, docker.inspectContainerCmd(container).exec().getState().getStartedAt());
    }
    return starts;
  }

  /**
   * The first event of {@code type} of customer {@code id} that matches, failing at once on a
   * failed step of either customer that will not be retried (but the one awaited).
   */
  private <E extends LifecycleEvent> E awaitOne(
      Class<E> type, String id, Predicate<E> match, Duration timeout) {
    Predicate<E> mine = e -> e.customerId().equals(id) && match.test(e);
    try {
      Awaitility.await(type.getSimpleName() + " of " + id)
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                if (type != StepFailed.class) {
                  List<String> failed =
                      bus.events(StepFailed.class).stream()
                          .filter(e -> e.customerId().equals(id) && !e.retryable())
                          .filter(e -> !expectedFailures.contains(e.meta().eventId()))
                          .map(e -> e.step() + ": " + e.reason())
                          .toList();
                  assertThat(failed).as("failed steps of " + id).isEmpty();
                }
                return bus.events(type).stream().anyMatch(mine);
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          e.getMessage() + "; events of " + id + " so far: " + eventsOf(id), e);
    }
    return bus.events(type).stream().filter(mine).findFirst().orElseThrow();
  }

  /** The types of the customer's events on the bus, as a failure message names them. */
  private String eventsOf(String id) {
    return bus.records(EventType.CONTAINERS_STARTED.topic()).stream()
        .filter(r -> id.equals(r.key()))
        .map(r -> BusProbe.header(r, "ce_type"))
        .collect(Collectors.joining(", "));
  }
}
