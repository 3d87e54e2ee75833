package dev.tenantplane.nginx;

import static dev.tenantplane.nginx.RouteEvents.CLOCK;
import static dev.tenantplane.nginx.RouteEvents.id;
import static dev.tenantplane.nginx.RouteEvents.migrated;
import static dev.tenantplane.nginx.RouteEvents.migratedCredentials;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import dev.tenantplane.common.events.CustomerDeprovisionRequested;
import dev.tenantplane.common.events.CustomerResumed;
import dev.tenantplane.common.events.CustomerSuspended;
import dev.tenantplane.common.events.DatabaseMigrated;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.RestoreRequested;
import dev.tenantplane.common.events.RoutesPublished;
import dev.tenantplane.common.events.RoutesWithdrawn;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.nginx.apply.ExecResult;
import dev.tenantplane.nginx.apply.NginxContainer;
import dev.tenantplane.nginx.route.RouteReconciler;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres"))
@QuarkusTestResource(NginxTestResource.class)
class NginxRoutesIT {
  @Inject NginxSettings settings;
  @Inject MeterRegistry metrics;
  @Inject DockerClient docker;
  @Inject NginxContainer nginxContainer;
  @Inject DataSource dataSource;
  @Inject RouteReconciler reconciler;

  private RouteBus bus;
  private RouteTables tables;
  private NginxClient nginx;
  private Upstreams upstreams;

  @BeforeEach
  void open() {
    bus = new RouteBus();
    tables = new RouteTables(dataSource);
    nginx = new NginxClient(settings.listen());
    upstreams = new Upstreams();
  }

  @AfterEach
  void close() {
    bus.close();
    upstreams.close();
  }

  @Test
  void twoCustomersAreReachedBySubdomainAndPathWithForwardedHeaders() {
    String a = id("alpha");
    String b = id("bravo");
    DatabaseMigrated migratedA = migrated(a, upstreams.start("upstream-" + a));
    DatabaseMigrated migratedB = migrated(b, upstreams.start("upstream-" + b));
    bus.publish(migratedA);
    bus.publish(migratedB);

    RoutesPublished publishedA = bus.awaitPublished(migratedA);
    bus.awaitPublished(migratedB);

    assertThat(publishedA.host()).isEqualTo(a + ".localhost");
    assertThat(publishedA.path()).isEqualTo("/" + a + "/");
    assertThat(publishedA.ports()).isEqualTo(migratedA.ports());
    assertThat(publishedA.credentials()).isEqualTo(migratedA.credentials());
    assertThat(publishedA.meta().causationId()).isEqualTo(migratedA.meta().eventId());

    assertThat(nginx.get(a + ".localhost", "/api/health").body())
        .startsWith("upstream-" + a + " path=/api/health forwarded-host=" + a + ".localhost");
    assertThat(nginx.get("localhost", "/" + a + "/api/health").body())
        .startsWith("upstream-" + a + " path=/api/health")
        .contains("forwarded-prefix=/" + a)
        .contains("forwarded-for=127.0.0.1");
    assertThat(nginx.get(b + ".localhost", "/").body()).startsWith("upstream-" + b + " ");
    assertThat(nginx.get("localhost", "/" + b + "/").body()).startsWith("upstream-" + b + " ");
  }

  /** Routes a new customer to an app answering {@code upstream-<id>}; returns the id. */
  private String routed(String prefix) {
    String id = id(prefix);
    DatabaseMigrated migrated = migrated(id, upstreams.start("upstream-" + id));
    bus.publish(migrated);
    bus.awaitPublished(migrated);
    return id;
  }

  @Test
  void aPathRouteReachesItsOwnCustomersAppWhateverDotSegmentsOrEscapesThePathHolds() {
    String a = routed("paths");
    String b = routed("other");

    NginxClient.Response bare = nginx.get("localhost", "/" + a);
    assertThat(bare.status()).isEqualTo(301);
    assertThat(bare.header("Location")).endsWith("/" + a + "/");
    assertThat(nginx.get("localhost", "/" + a + "/x%20y/../z?q=1%202").body())
        .startsWith("upstream-" + a + " path=/z")
        .contains("forwarded-prefix=/" + a + " ")
        .contains("raw=/z?q=1%202 ");
    // A decoded '?' stays in the path; a decoded line break is escaped again, never a header.
    assertThat(nginx.get("localhost", "/" + a + "/%3F").body()).contains("raw=/%3F ");
    assertThat(nginx.get("localhost", "/" + a + "/x%0d%0aX-Injected:%201").body())
        .startsWith("upstream-" + a + " ")
        .contains("raw=/x%0D%0AX-Injected:%201 ")
        .contains("injected=null");
    // Dot segments are resolved first: the customer is the first segment of what remains, and
    // its app is the one that gets the rest, under its own prefix.
    for (String other :
        List.of(
            "/" + a + "/../" + b + "/x",
            "/" + a + "/%2e%2e/" + b + "/x",
            "/" + a + "/..%2f" + b + "%2fx")) {
      assertThat(nginx.get("localhost", other).body())
          .as(other)
          .startsWith("upstream-" + b + " path=/x")
          .contains("forwarded-prefix=/" + b + " ");
    }
    for (String nowhere :
        List.of(
            "/" + a + "/../../etc/passwd",
            "/" + a + "/%2e%2e/%2e%2e/etc/passwd",
            "/" + a + "/..%2f..%2fetc%2fpasswd",
            "/" + a + "x/",
            "/" + a.toUpperCase() + "/",
            "/no-such-customer/x")) {
      assertThat(nginx.get("localhost", nowhere).status()).as(nowhere).isIn(400, 404);
    }
    // By host name the app gets the normalised path and the query as sent.
    assertThat(nginx.get(a + ".localhost", "/x/../y?z=%41").body())
        .startsWith("upstream-" + a + " path=/y")
        .contains("raw=/y?z=%41 ");
    assertThat(nginx.get("unknown-" + a + ".localhost", "/").status()).isEqualTo(404);
  }

  @Test
  void configRejectedByNginxKeepsThePreviousRoutesAndReportsNginxsMessage() throws Exception {
    String good = id("good");
    DatabaseMigrated first = migrated(good, upstreams.start("upstream-" + good));
    bus.publish(first);
    bus.awaitPublished(first);

    String blocked = id("blocked");
    DatabaseMigrated second = migrated(blocked, upstreams.start("upstream-" + blocked));
    String certificate = readFromNginx(NginxTestResource.CERTIFICATE);
    writeIntoNginx(NginxTestResource.CERTIFICATE, "not a certificate\n");
    try {
      bus.publish(second);
      StepFailed failed = bus.awaitFailure(second);

      assertThat(failed.retryable()).isFalse();
      assertThat(failed.reason()).contains(blocked).contains("cannot load certificate");
      assertThat(nginx.get(good + ".localhost", "/").body()).startsWith("upstream-" + good + " ");
      assertThat(nginx.get("localhost", "/" + blocked + "/").status()).isEqualTo(404);
      assertThat(tables.routeRows(blocked)).isZero();
    } finally {
      writeIntoNginx(NginxTestResource.CERTIFICATE, certificate);
    }
  }

  @Test
  void reloadsOnlyWhenTheRenderedConfigurationChanges() {
    String id = id("steady");
    int port = upstreams.start("upstream-" + id);
    DatabaseMigrated first = migrated(id, port);
    bus.publish(first);
    bus.awaitPublished(first);
    double reloads = reloads();

    DatabaseMigrated same = migrated(id, port);
    bus.publish(same);
    bus.awaitPublished(same);
    assertThat(reloads()).isEqualTo(reloads);

    DatabaseMigrated moved = migrated(id, upstreams.start("moved-" + id));
    bus.publish(moved);
    bus.awaitPublished(moved);
    assertThat(reloads()).isEqualTo(reloads + 1);
    assertThat(nginx.get(id + ".localhost", "/").body()).startsWith("moved-" + id + " ");
  }

  @Test
  void aBurstOfChangesIsAppliedWithFewerReloadsThanChangesAndEveryRouteServes() {
    double before = reloads();
    List<DatabaseMigrated> burst = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      String id = id("burst" + i);
      burst.add(migrated(id, upstreams.start("upstream-" + id)));
    }
    burst.forEach(bus::publish);
    burst.forEach(bus::awaitPublished);

    assertThat(reloads() - before).as("reloads for %d changes", burst.size()).isLessThan(16);
    for (DatabaseMigrated change : burst) {
      String id = change.customerId();
      assertThat(nginx.get(id + ".localhost", "/").body()).startsWith("upstream-" + id + " ");
      assertThat(nginx.get("localhost", "/" + id + "/").body()).startsWith("upstream-" + id + " ");
    }
  }

  @Test
  void suspendedCustomerGets503AndResumeRoutesAndRepublishes() throws Exception {
    String id = id("sleepy");
    DatabaseMigrated migrated = migrated(id, upstreams.start("upstream-" + id));
    bus.publish(migrated);
    bus.awaitPublished(migrated);

    bus.publish(new CustomerSuspended(migrated.meta().next(CLOCK)));
    await("503 for " + id)
        .atMost(RouteBus.WAIT)
        .pollInterval(RouteBus.POLL)
        .until(() -> nginx.get(id + ".localhost", "/").status() == 503);
    NginxClient.Response suspended = nginx.get("localhost", "/" + id + "/");
    assertThat(suspended.status()).isEqualTo(503);
    assertThat(suspended.body()).contains("{\"status\":\"suspended\",\"customer\":\"" + id + "\"}");
    assertThat(suspended.header("Retry-After")).isEqualTo("3600");
    assertThat(suspended.header("Content-Type")).isEqualTo("application/json");

    CustomerResumed resumed = new CustomerResumed(migrated.meta().next(CLOCK));
    bus.publish(resumed);
    RoutesPublished republished = bus.awaitPublished(resumed);
    assertThat(republished.credentials()).isEqualTo(migrated.credentials());
    assertThat(republished.ports()).isEqualTo(migrated.ports());
    assertThat(nginx.get(id + ".localhost", "/").body()).startsWith("upstream-" + id + " ");
  }

  @Test
  void customerBeingRestoredGets503UntilTheRestoresMigrationOrItsFinalFailure() throws Exception {
    String id = id("restored");
    DatabaseMigrated migrated = migrated(id, upstreams.start("upstream-" + id));
    bus.publish(migrated);
    bus.awaitPublished(migrated);

    RestoreRequested restore =
        new RestoreRequested(migrated.meta().next(CLOCK), UUID.randomUUID(), "1", "db", "redis");
    bus.publish(restore);
    awaitStatus(id, 503);
    NginxClient.Response restoring = nginx.get("localhost", "/" + id + "/");
    assertThat(restoring.body()).contains("{\"status\":\"restoring\",\"customer\":\"" + id + "\"}");
    assertThat(restoring.header("Retry-After")).isEqualTo("60");
    assertThat(restoring.header("Content-Type")).isEqualTo("application/json");

    // The restore's migration publishes the route again.
    DatabaseMigrated afterRestore =
        new DatabaseMigrated(
            restore.meta().next(CLOCK), "1", migrated.ports(), migrated.credentials());
    bus.publish(afterRestore);
    bus.awaitPublished(afterRestore);
    assertThat(nginx.get(id + ".localhost", "/").body()).startsWith("upstream-" + id + " ");

    // A restore refused for good (a retryable failure first, which changes nothing).
    RestoreRequested refused =
        new RestoreRequested(migrated.meta().next(CLOCK), UUID.randomUUID(), "9", "db", "redis");
    bus.publish(refused);
    awaitStatus(id, 503);
    bus.publish(
        new StepFailed(refused.meta().next(CLOCK), Step.RESTORE, 1, "busy", true, "step=restore"));
    bus.publish(
        new StepFailed(
            refused.meta().next(CLOCK), Step.RESTORE, 1, "newer schema", false, "step=restore"));
    awaitStatus(id, 200);
    assertThat(nginx.get(id + ".localhost", "/").body()).startsWith("upstream-" + id + " ");
  }

  private void awaitStatus(String id, int status) {
    await(status + " for " + id)
        .atMost(RouteBus.WAIT)
        .pollInterval(RouteBus.POLL)
        .until(() -> nginx.get(id + ".localhost", "/").status() == status);
  }

  @Test
  void routesDriftedAwayInNginxArePutBackFromTheTable() throws Exception {
    String id = id("drift");
    DatabaseMigrated migrated = migrated(id, upstreams.start("upstream-" + id));
    bus.publish(migrated);
    bus.awaitPublished(migrated);

    // A restart rather than a reload: after a reload, old workers may still answer for a moment.
    execInNginx("10001", "rm", settings.confDir() + "/live");
    docker.restartContainerCmd(settings.container()).withTimeout(10).exec();
    await("route lost for " + id)
        .atMost(RouteBus.WAIT)
        .pollInterval(RouteBus.POLL)
        .until(() -> statusOrNone(id + ".localhost", "/") == 404);

    assertThat(reconciler.resync()).isTrue();
    assertThat(nginx.get(id + ".localhost", "/").body()).startsWith("upstream-" + id + " ");
    assertThat(reconciler.resync()).isFalse();
  }

  @Test
  void aHundredChangesWithHostileInputsBetweenLeaveEveryActiveRouteServing() throws Exception {
    List<String> customers = new ArrayList<>();
    Map<String, int[]> ports = new HashMap<>();
    for (int i = 0; i < 5; i++) {
      String id = id("fleet" + i);
      customers.add(id);
      ports.put(id, new int[] {upstreams.start(id + "-blue"), upstreams.start(id + "-green")});
    }
    List<DatabaseMigrated> changes = new ArrayList<>();
    List<DatabaseMigrated> hostile = new ArrayList<>();
    List<String> hostileIds = List.of("a;b", "x}", "../x", "new\nline", "bad id", "UPPER");
    for (int i = 0; i < 100; i++) {
      String id = customers.get(i % customers.size());
      DatabaseMigrated change = migrated(id, ports.get(id)[(i / customers.size()) % 2]);
      changes.add(change);
      bus.publish(change);
      if (i % 10 == 0) {
        DatabaseMigrated badId = migrated(hostileIds.get((i / 10) % hostileIds.size()), 3001);
        DatabaseMigrated badPort =
            migrated(id("port"), i % 20 == 0 ? 0 : 70000, migratedCredentials());
        hostile.add(badId);
        hostile.add(badPort);
        bus.publish(badId);
        bus.publish(badPort);
      }
    }

    Set<UUID> expected = new HashSet<>();
    changes.forEach(c -> expected.add(c.meta().eventId()));
    bus.await(
        RoutesPublished.class,
        events ->
            events.stream().map(e -> e.meta().causationId()).filter(expected::contains).count()
                >= changes.size(),
        Duration.ofMinutes(4));
    for (DatabaseMigrated bad : hostile) {
      StepFailed failed = bus.awaitFailure(bad);
      assertThat(failed.retryable()).as(bad.customerId()).isFalse();
      assertThat(failed.attempt()).isEqualTo(1);
    }
    for (String bad : hostileIds) {
      assertThat(tables.routeRows(bad)).as(bad).isZero();
    }
    for (String id : customers) {
      String last = id + "-green";
      assertThat(nginx.get(id + ".localhost", "/").body()).startsWith(last + " ");
      assertThat(nginx.get("localhost", "/" + id + "/").body()).startsWith(last + " ");
    }

    String leaving = customers.get(0);
    CustomerDeprovisionRequested deprovision =
        new CustomerDeprovisionRequested(EventMeta.start(leaving, CLOCK), true);
    bus.publish(deprovision);
    RoutesWithdrawn withdrawn = bus.awaitWithdrawn(deprovision);
    assertThat(withdrawn.purge()).isTrue();
    assertThat(nginx.get(leaving + ".localhost", "/").status()).isEqualTo(404);
    assertThat(nginx.get("localhost", "/" + leaving + "/").status()).isEqualTo(404);
    for (String id : customers.subList(1, customers.size())) {
      assertThat(nginx.get(id + ".localhost", "/").body()).startsWith(id + "-green ");
    }
  }

  private double reloads() {
    return metrics.counter("tenantplane.nginx.reloads").count();
  }

  /** The status nginx answers, or -1 while it does not accept connections (restarting). */
  private int statusOrNone(String host, String path) {
    try {
      return nginx.get(host, path).status();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private void execInNginx(String user, String... command) throws Exception {
    ExecResult result = nginxContainer.exec(user, command);
    assertThat(result.ok()).as("%s: %s", List.of(command), result.stderr()).isTrue();
  }

  private String readFromNginx(String path) throws IOException {
    try (var tar =
        new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
            docker.copyArchiveFromContainerCmd(settings.container(), path).exec())) {
      tar.getNextEntry();
      return new String(tar.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private void writeIntoNginx(String path, String content) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream archive = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(archive)) {
      TarArchiveEntry entry = new TarArchiveEntry(path.substring(path.lastIndexOf('/') + 1));
      entry.setMode(0100644);
      entry.setSize(bytes.length);
      tar.putArchiveEntry(entry);
      tar.write(bytes);
      tar.closeArchiveEntry();
    }
    docker
        .copyArchiveToContainerCmd(settings.container())
        .withRemotePath(path.substring(0, path.lastIndexOf('/')))
        .withTarInputStream(new ByteArrayInputStream(archive.toByteArray()))
        .exec();
  }
}
