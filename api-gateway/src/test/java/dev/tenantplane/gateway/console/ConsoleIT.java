package dev.tenantplane.gateway.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.tenantplane.common.events.BackupCompleted;
import dev.tenantplane.common.events.BackupFile;
import dev.tenantplane.common.events.BackupRequested;
import dev.tenantplane.common.events.CustomerArchived;
import dev.tenantplane.common.events.CustomerDeprovisionRequested;
import dev.tenantplane.common.events.CustomerRequested;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.ResourcesAllocated;
import dev.tenantplane.common.events.RestoreRequested;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.common.naming.PlatformRedisKeys;
import dev.tenantplane.common.testing.BusProbe;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.TestInfrastructure;
import dev.tenantplane.gateway.LifecycleScript;
import dev.tenantplane.gateway.TestCustomers;
import dev.tenantplane.gateway.api.Tokens;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The web console in real headless Chromium, against this gateway, its database and the bus; the
 * other services' events are played by {@link LifecycleScript}. The screenshots it takes of the
 * fleet page and of a customer page go to {@code docs/}, where the README shows them.
 */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres,redis"))
class ConsoleIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Path DOCS = Path.of("..", "docs");

  @TestHTTPResource("/console/")
  URL console;

  @Inject RedisDataSource redis;
  private BusProbe bus;
  private LifecycleScript script;
  private Browser browser;

  /** On a failure, while the browser is still open: a screenshot and what the page showed. */
  @RegisterExtension
  final TestExecutionExceptionHandler failureReport =
      (context, cause) -> {
        if (browser != null) {
          Path shot = browser.saveFailure(context.getRequiredTestMethod().getName());
          System.err.println("console at failure (" + shot + "): " + browser.describe());
        }
        throw cause;
      };

  @BeforeEach
  void open() {
    bus =
        new BusProbe(
            TestInfrastructure.kafka().bootstrapServers(),
            List.of(
                EventType.CUSTOMER_REQUESTED.topic(),
                EventType.RESOURCES_ALLOCATED.topic(),
                EventType.BACKUP_REQUESTED.topic(),
                EventType.RESTORE_REQUESTED.topic(),
                EventType.CUSTOMER_DEPROVISION_REQUESTED.topic()));
    script = new LifecycleScript(bus);
    browser = new Browser(console);
  }

  @AfterEach
  void close() {
    browser.close();
    bus.close();
  }

  @Test
  void operatorWatchesACustomerBecomeReadyLiveAndRetriesAFailedStepFromItsButton() {
    browser.signIn(Tokens.admin());
    browser.visible("#new-id").sendKeys("Not An Id");
    browser.visible("#new-name").sendKeys("Refused Corporation");
    browser.click("#provision");
    browser.waitFor(
        "the refusal of a bad id",
        () -> browser.visible("#message").getText(),
        t -> t.contains("id"));

    String id = TestCustomers.id("console");
    browser.visible("#new-id").clear();
    browser.visible("#new-id").sendKeys(id);
    browser.visible("#new-name").clear();
    browser.visible("#new-name").sendKeys("ACME Corporation");
    browser.click("#provision");
    CustomerRequested requested = script.awaitFor(CustomerRequested.class, id);
    assertThat(requested.name()).isEqualTo("ACME Corporation");
    assertThat(browser.url()).endsWith("#/customers/" + id);
    browser.awaitText("[data-field=status]", "REQUESTED");
    browser.visible(".live.on");

    String[] statuses = {"ALLOCATED", "CONTAINERS_STARTED", "MIGRATED", "ROUTED", "READY"};
    List<LifecycleEvent> steps = LifecycleScript.provisioning(requested, 5);
    for (int i = 0; i < steps.size(); i++) {
      bus.publish(steps.get(i));
      browser.awaitText("[data-field=status]", statuses[i]);
    }
    // What the health-monitor would have written of its last probe.
    redis
        .value(String.class)
        .setex(
            PlatformRedisKeys.currentHealth(id),
            300,
            "{\"customer\":\""
                + id
                + "\",\"health\":\"healthy\",\"checkedAt\":\""
                + Instant.now()
                + "\",\"components\":{\"postgres\":\"ok\",\"redis\":\"ok\",\"app\":\"ok\","
                + "\"worker\":\"ok\",\"nginx\":\"ok\"},\"queue\":{\"waiting\":2,\"delayed\":0,"
                + "\"running\":1,\"failed\":0,\"oldestWaitingSeconds\":0.4}}");
    browser.go("#/fleet");
    browser.go("#/customers/" + id);
    browser.awaitText("[data-component=worker]", "worker: ok");
    browser.awaitText("[data-field=jobs]", "2 waiting, 0 delayed, 1 running, 0 failed");
    browser.waitFor(
        "six timeline rows",
        () -> browser.all("table.timeline tbody tr"),
        rows -> rows.size() == 6);
    browser.awaitText(
        "[data-field=ports]",
        LifecycleScript.PORTS.app()
            + " / "
            + LifecycleScript.PORTS.database()
            + " / "
            + LifecycleScript.PORTS.redis());
    browser.awaitEnabled("button[data-action=suspend]", true);
    browser.awaitEnabled("button[data-action=retry]", false);

    browser.click("button[data-action=backup]");
    browser.awaitText("#message", "Backup accepted for " + id);
    BackupRequested backup = script.awaitFor(BackupRequested.class, id);
    String backupStatus =
        "table.backups tr[data-backup='" + backup.backupId() + "'] [data-field=backup-status]";
    browser.awaitText(backupStatus, "REQUESTED");
    String folder = "customers/" + id + "/backups/" + backup.backupId();
    bus.publish(
        new BackupCompleted(
            backup.meta().next(LifecycleScript.CLOCK),
            new BackupFile(folder + "/database.dump", 48213, "9f86d081884c7d659a2feaa0c55ad015"),
            new BackupFile(folder + "/redis.rdb", 176, "2c26b46b68ffc68ff99b453c1d304134"),
            "1",
            List.of()));
    browser.awaitText(backupStatus, "COMPLETED");
    browser.screenshot(DOCS.resolve("console-customer.png"));

    String failing = TestCustomers.id("console-failed");
    CustomerRequested second = script.request(failing);
    LifecycleScript.FailedStart start = script.failStartContainers(second, "image missing");
    ResourcesAllocated allocated = start.allocated();
    StepFailed failed = start.failed();
    browser.go("#/customers/" + failing);
    browser.awaitText("[data-field=status]", "FAILED");
    browser.awaitText("[data-field=last-error]", "START_CONTAINERS: image missing");

    browser.click("button[data-action=retry]");
    browser.click("#confirm-ok");
    ResourcesAllocated copy =
        bus
            .await(
                ResourcesAllocated.class,
                events -> events.stream().anyMatch(e -> isRetryOf(e, allocated)),
                WAIT)
            .stream()
            .filter(e -> isRetryOf(e, allocated))
            .findFirst()
            .orElseThrow();
    assertThat(copy.meta().causationId()).isEqualTo(failed.meta().eventId());
    browser.awaitText("[data-field=status]", "ALLOCATED");
    browser.awaitText("#message", "Retry accepted for " + failing);

    browser.go("#/fleet?q=" + id);
    browser.awaitText("table.fleet tr[data-customer='" + id + "'] [data-field=status]", "READY");
    // Other test classes' customers share the database: the search keeps to this class's.
    browser.go("#/fleet?q=" + TestCustomers.PREFIX + "console");
    browser.visible("table.fleet tr[data-customer='" + failing + "']");
    browser.visible("table.fleet tr[data-customer='" + id + "']");
    browser.screenshot(DOCS.resolve("console-fleet.png"));

    browser.go("#/customers/" + id);
    browser.click(
        "table.backups tr[data-backup='" + backup.backupId() + "'] button[data-action=restore]");
    browser.click("#confirm-ok");
    RestoreRequested restore = script.awaitFor(RestoreRequested.class, id);
    assertThat(restore.backupId()).isEqualTo(backup.backupId());
    assertThat(restore.databaseSha256()).isEqualTo("9f86d081884c7d659a2feaa0c55ad015");
    browser.awaitText("[data-field=status]", "RESTORING");
    browser.awaitText("#message", "Restore accepted for " + id);
  }

  @Test
  void aRetryThatIsCancelledInTheConfirmationSendsNothing() {
    browser.signIn(Tokens.admin());
    String id = TestCustomers.id("console-cancel");
    CustomerRequested requested = script.request(id);
    ResourcesAllocated allocated = script.failStartContainers(requested, "no").allocated();
    browser.go("#/customers/" + id);
    browser.awaitText("[data-field=status]", "FAILED");

    browser.click("button[data-action=retry]");
    browser.click("#confirm-cancel");

    // Still FAILED for 2 s on end; the bound only leaves room for slow reads on a busy machine.
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(30))
        .until(() -> TestCustomers.fetch(id).getString("status"), "FAILED"::equals);
    browser.awaitText("[data-field=status]", "FAILED");
    assertThat(bus.events(ResourcesAllocated.class).stream().filter(e -> isRetryOf(e, allocated)))
        .isEmpty();
  }

  @Test
  void adminMakesAViewerTokenThatIsShownOnceWorksAndIsRevokedFromItsButton() {
    browser.signIn(Tokens.admin());
    browser.awaitText("#signed-in-as", "admin (admin)");
    browser.click("#nav-tokens");
    String name = "console-" + TestCustomers.id("token").substring(TestCustomers.PREFIX.length());
    browser.visible("#token-name").sendKeys(name);
    browser.visible("#token-days").clear();
    browser.visible("#token-days").sendKeys("7");
    browser.click("#create-token");
    String token = browser.visible("#new-token").getText();
    given()
        .auth()
        .oauth2(token)
        .get("/api/v1/tokens/self")
        .then()
        .statusCode(200)
        .body("name", equalTo(name))
        .body("role", equalTo("viewer"));
    String row = "table.tokens tr[data-token='" + name + "']";
    browser.visible(row);

    browser.click(row + " button[data-action=revoke]");
    browser.click("#confirm-ok");
    browser.waitFor(
        "the revocation on the page",
        () -> browser.visible(row + " [data-field=revoked]").getText(),
        text -> !text.isEmpty());
    assertThat(browser.visible(row + " [data-field=last-used]").getText())
        .as("the token was used once, before it was revoked")
        .isNotEqualTo("never");
    given().auth().oauth2(token).get("/api/v1/tokens/self").then().statusCode(401);
  }

  @Test
  void anArchivedCustomerIsBroughtBackFromItsButtonAsItsNextGeneration() {
    String id = script.readyCustomer("console-unarchive");
    given().auth().oauth2(Tokens.admin()).delete("/api/v1/customers/" + id).then().statusCode(202);
    CustomerDeprovisionRequested archive = script.awaitFor(CustomerDeprovisionRequested.class, id);
    bus.publish(
        new CustomerArchived(
            archive.meta().next(LifecycleScript.CLOCK), "x-archive.sql", List.of()));
    browser.signIn(Tokens.admin());
    browser.go("#/customers/" + id);
    browser.awaitText("[data-field=status]", "ARCHIVED");
    browser.awaitEnabled("button[data-action=suspend]", false);

    browser.click("button[data-action=unarchive]");
    browser.click("#confirm-ok");

    browser.awaitText("#message", "Unarchive accepted for " + id);
    browser.awaitText("[data-field=status]", "REQUESTED");
    assertThat(
            bus
                .await(
                    CustomerRequested.class,
                    events ->
                        events.stream()
                            .anyMatch(e -> e.customerId().equals(id) && e.meta().generation() == 2),
                    Duration.ofSeconds(30))
                .stream()
                .filter(e -> e.customerId().equals(id) && e.meta().generation() == 2))
        .hasSize(1);
  }

  @Test
  void operatorHasTheWriteButtonsButNoTokensPage() {
    Tokens.Created operator = Tokens.create("operator");
    browser.signIn(operator.token());
    browser.awaitText("#signed-in-as", operator.name() + " (operator)");
    browser.visible("table.fleet");
    browser.visible("#provision");
    assertThat(browser.visible("#nav").getText()).doesNotContain("Tokens");

    // The page itself, loaded from its address, is not shown: the fleet is.
    browser.open("#/tokens");
    browser.awaitText("#signed-in-as", operator.name() + " (operator)");
    browser.visible("table.fleet");
    assertThat(browser.all("#token-name")).isEmpty();
    assertThat(browser.all("table.tokens")).isEmpty();
    Object status =
        browser.run(
            "const r = await fetch('/api/v1/tokens', {headers: {Authorization: 'Bearer ' +"
                + " sessionStorage.getItem('tenantplane.token')}}); return r.status;");
    assertThat(status).isEqualTo(403L);
  }

  @Test
  void viewerSeesNoWriteButtonAndTheApiRefusesItsWritesAnyway() {
    String id = TestCustomers.id("console-viewer");
    CustomerRequested requested = script.request(id);
    script.publishProvisioningUpTo(requested, 5);
    Tokens.Created viewer = Tokens.create("viewer");
    browser.signIn(viewer.token());
    browser.awaitText("#signed-in-as", viewer.name() + " (viewer)");

    browser.go("#/customers/" + id);
    browser.awaitText("[data-field=status]", "READY");
    assertThat(browser.all("#actions button")).isEmpty();
    assertThat(browser.all("button[data-action]")).isEmpty();
    browser.go("#/fleet");
    browser.visible("table.fleet");
    assertThat(browser.all("#provision")).isEmpty();
    assertThat(browser.visible("#nav").getText()).doesNotContain("Tokens");

    Object status =
        browser.run(
            "const r = await fetch('/api/v1/customers/' + args[0] + '/suspend', {method: 'POST',"
                + " headers: {Authorization: 'Bearer ' + sessionStorage.getItem('tenantplane.token')}});"
                + " return r.status;",
            id);
    assertThat(status).isEqualTo(403L);
    assertThat(TestCustomers.fetch(id).getString("status")).isEqualTo("READY");
  }

  @Test
  void tokenIsKeptOnlyInTheTabsSessionAndAnUnknownOneIsRefused() {
    browser.open("");
    browser.visible("#token").sendKeys("not-a-token");
    browser.click("#sign-in");
    browser.awaitText("#message", "This token is unknown, revoked or expired.");
    assertThat(browser.storage("sessionStorage")).isEmpty();

    String token = Tokens.admin();
    browser.signIn(token);
    assertThat(browser.url()).doesNotContain(token);
    assertThat(browser.storage("sessionStorage")).containsValue(token);
    assertThat(browser.storage("localStorage")).doesNotContainValue(token);

    browser.click("#sign-out");
    browser.visible("#token");
    assertThat(browser.storage("sessionStorage")).isEmpty();
    given()
        .get("/console/")
        .then()
        .statusCode(200)
        .header("Content-Security-Policy", containsString("script-src 'self'"))
        .header("X-Frame-Options", "DENY");
  }

  private static boolean isRetryOf(ResourcesAllocated candidate, ResourcesAllocated original) {
    return candidate.customerId().equals(original.customerId())
        && !candidate.meta().eventId().equals(original.meta().eventId());
  }
}
