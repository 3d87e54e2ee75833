package dev.tenantplane.gateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tenantplane.common.events.BackupCompleted;
import dev.tenantplane.common.events.BackupFile;
import dev.tenantplane.common.events.BackupRequested;
import dev.tenantplane.common.events.BackupRestored;
import dev.tenantplane.common.events.CustomerRequested;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.RestoreRequested;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.common.testing.BusProbe;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.TestInfrastructure;
import dev.tenantplane.gateway.LifecycleScript;
import dev.tenantplane.gateway.TestCustomers;
import dev.tenantplane.gateway.backups.BackupCalls;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Asking for a backup over the API, and what the API shows of it as the provisioner reports. */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres,redis"))
class BackupApiIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private BusProbe bus;
  private LifecycleScript script;

  @BeforeEach
  void openProbe() {
    bus =
        new BusProbe(
            TestInfrastructure.kafka().bootstrapServers(),
            List.of(
                EventType.CUSTOMER_REQUESTED.topic(),
                EventType.BACKUP_REQUESTED.topic(),
                EventType.RESTORE_REQUESTED.topic()));
    script = new LifecycleScript(bus);
  }

  @AfterEach
  void closeProbe() {
    bus.close();
  }

  @Test
  void aReadyCustomersBackupIsRequestedThenShowsItsCheckedFilesOnceReported() {
    String id = script.readyCustomer("backup-done");
    Tokens.Created operator = Tokens.create("operator");

    ExtractableResponse<Response> accepted = BackupCalls.request(operator, id, 202);
    String backupId = accepted.jsonPath().getString("backupId");
    assertThat(accepted.header("Location")).isEqualTo(BackupCalls.of(id) + "/" + backupId);
    assertThat(accepted.jsonPath().getString("status")).isEqualTo("REQUESTED");
    BackupRequested emitted = script.awaitFor(BackupRequested.class, id);
    assertThat(emitted.backupId().toString()).isEqualTo(backupId);

    JsonPath requested = operator.read(BackupCalls.of(id) + "/" + backupId);
    assertThat(requested.getString("status")).isEqualTo("REQUESTED");
    assertThat(requested.getString("requestedBy")).isEqualTo(operator.name());
    assertThat(requested.getString("database")).isNull();

    bus.publish(
        new BackupCompleted(
            emitted.meta().next(LifecycleScript.CLOCK),
            new BackupFile(
                "customers/" + id + "/backups/" + backupId + "/database.dump", 4096, "ab"),
            new BackupFile("customers/" + id + "/backups/" + backupId + "/redis.rdb", 88, "cd"),
            "1",
            List.of(),
            List.of(
                new BackupCompleted.TableRows("public.deals", 12),
                new BackupCompleted.TableRows("public.organizations", 1))));

    JsonPath completed =
        await()
            .atMost(WAIT)
            .until(
                () -> operator.read(BackupCalls.of(id) + "/" + backupId),
                view -> "COMPLETED".equals(view.getString("status")));
    assertThat(completed.getString("requestedBy")).isEqualTo(operator.name());
    assertThat(completed.getString("schemaVersion")).isEqualTo("1");
    assertThat(completed.getLong("database.bytes")).isEqualTo(4096);
    assertThat(completed.getString("database.sha256")).isEqualTo("ab");
    assertThat(completed.getString("redis.path")).endsWith("/redis.rdb");
    assertThat(completed.getString("completedAt")).isNotNull();
    assertThat(completed.getInt("restoreRehearsal.tables")).isEqualTo(2);
    assertThat(completed.getLong("restoreRehearsal.rows")).isEqualTo(13);

    JsonPath list = Tokens.create("viewer").read(BackupCalls.of(id));
    assertThat(list.getList("items.id", String.class)).containsExactly(backupId);
    assertThat(list.getInt("total")).isEqualTo(1);
    assertThat(TestCustomers.fetch(id).getList("timeline.step", String.class)).contains("BACKUP");
  }

  @Test
  void aBackupThatFailsForGoodIsFailedWithItsReasonAndTheCustomerStaysReady() {
    String id = script.readyCustomer("backup-failed");
    Tokens.Created operator = Tokens.create("operator");
    String backupId = BackupCalls.request(operator, id, 202).jsonPath().getString("backupId");
    BackupRequested emitted = script.awaitFor(BackupRequested.class, id);

    bus.publish(
        new StepFailed(
            emitted.meta().next(LifecycleScript.CLOCK),
            Step.BACKUP,
            1,
            "customer " + id + ": suspended, so its database is stopped; resume it first",
            false,
            "step=backup"));

    JsonPath failed =
        await()
            .atMost(WAIT)
            .until(
                () -> operator.read(BackupCalls.of(id) + "/" + backupId),
                view -> "FAILED".equals(view.getString("status")));
    assertThat(failed.getString("error")).contains("resume it first");
    JsonPath customer = TestCustomers.fetch(id);
    assertThat(customer.getString("status")).isEqualTo("READY");
    assertThat(customer.getString("lastError.step")).isEqualTo("BACKUP");
  }

  @Test
  void backupsOfUnknownOrUnreadyCustomersAndBadRequestsAreRefusedAndChangeNothing() {
    Tokens.Created operator = Tokens.create("operator");
    Tokens.Created viewer = Tokens.create("viewer");
    String unknown = TestCustomers.id("backup-nobody");
    BackupCalls.request(operator, unknown, 404);
    given().auth().oauth2(viewer.token()).get(BackupCalls.of(unknown)).then().statusCode(404);

    String requestedOnly = TestCustomers.id("backup-early");
    script.request(requestedOnly);
    assertThat(BackupCalls.request(operator, requestedOnly, 409).jsonPath().getString("detail"))
        .contains("REQUESTED");
    String ready = script.readyCustomer("backup-refused");
    BackupCalls.request(viewer, ready, 403);
    assertThat(
            given()
                .auth()
                .oauth2(operator.token())
                .contentType("application/json")
                .body("{\"when\":\"now\"}")
                .post(BackupCalls.of(ready))
                .then()
                .statusCode(400)
                .extract()
                .jsonPath()
                .getList("errors.field", String.class))
        .containsExactly("when");
    assertThat(
            given()
                .auth()
                .oauth2(viewer.token())
                .get(BackupCalls.of(ready) + "/not-a-backup")
                .then()
                .statusCode(400)
                .extract()
                .jsonPath()
                .getList("errors.field", String.class))
        .containsExactly("backupId");
    given()
        .auth()
        .oauth2(viewer.token())
        .get(BackupCalls.of(ready) + "/" + UUID.randomUUID())
        .then()
        .statusCode(404);
    assertThat(viewer.read(BackupCalls.of(ready)).getInt("total")).isZero();
    assertThat(viewer.read(BackupCalls.of(requestedOnly)).getInt("total")).isZero();
  }

  @Test
  void aCompletedBackupIsRestoredWithItsChecksumsAndTheCustomerGoesBackToReadyThroughTheSteps() {
    String id = script.readyCustomer("backup-restore");
    Tokens.Created operator = Tokens.create("operator");
    String backupId = BackupCalls.request(operator, id, 202).jsonPath().getString("backupId");
    BackupRequested backup = script.awaitFor(BackupRequested.class, id);
    String early =
        postRestore(operator.token(), id, Map.of("backupId", backupId), 409)
            .extract()
            .jsonPath()
            .getString("detail");
    assertThat(early).contains("REQUESTED");
    complete(operator, backup, backupId, "1");

    JsonPath accepted =
        postRestore(operator.token(), id, Map.of("backupId", backupId), 202).extract().jsonPath();
    assertThat(accepted.getString("status")).isEqualTo("RESTORING");
    RestoreRequested restore = script.awaitFor(RestoreRequested.class, id);
    assertThat(restore.backupId().toString()).isEqualTo(backupId);
    assertThat(restore.schemaVersion()).isEqualTo("1");
    assertThat(restore.databaseSha256()).isEqualTo("db-sha");
    assertThat(restore.redisSha256()).isEqualTo("redis-sha");
    assertThat(restore.meta().correlationId().toString())
        .isEqualTo(accepted.getString("correlationId"));
    await()
        .atMost(WAIT)
        .until(() -> TestCustomers.fetch(id).getString("status"), "RESTORING"::equals);
    postRestore(operator.token(), id, Map.of("backupId", backupId), 409);

    BackupRestored restored =
        new BackupRestored(restore.meta().next(LifecycleScript.CLOCK), restore.backupId(), "1");
    bus.publish(restored);
    CustomerRequested again =
        new CustomerRequested(restored.meta(), "Customer " + id, "small", null);
    for (LifecycleEvent step : LifecycleScript.provisioning(again, 5).subList(1, 5)) {
      bus.publish(step);
    }
    await().atMost(WAIT).until(() -> TestCustomers.fetch(id).getString("status"), "READY"::equals);
    assertThat(TestCustomers.fetch(id).getList("timeline.step", String.class))
        .contains("RESTORE", "MIGRATE_DATABASE", "AWAIT_HEALTHY");
  }

  @Test
  void aBackupAtANewerSchemaThanTheDatabaseIsRefusedBeforeAnythingIsAsked() {
    String id = script.readyCustomer("restore-newer");
    Tokens.Created operator = Tokens.create("operator");
    String backupId = BackupCalls.request(operator, id, 202).jsonPath().getString("backupId");
    complete(operator, script.awaitFor(BackupRequested.class, id), backupId, "2");

    String detail =
        postRestore(operator.token(), id, Map.of("backupId", backupId), 409)
            .extract()
            .jsonPath()
            .getString("detail");

    assertThat(detail).contains("schema version 2", "newer", "(1)");
    assertThat(TestCustomers.fetch(id).getString("status")).isEqualTo("READY");
    assertThat(bus.events(RestoreRequested.class))
        .noneMatch(restore -> restore.customerId().equals(id));
  }

  @Test
  void restoresOfMissingOrUnknownBackupsAndBadBodiesAreRefused() {
    String id = script.readyCustomer("restore-refused");
    Tokens.Created operator = Tokens.create("operator");
    for (String body : List.of("{}", "{\"backupId\":\"x\"}", "{\"backupId\":7}", "{\"other\":1}")) {
      assertThat(
              postRestore(operator.token(), id, body, 400)
                  .extract()
                  .jsonPath()
                  .getList("errors.field", String.class))
          .as(body)
          .isNotEmpty();
    }
    given()
        .auth()
        .oauth2(operator.token())
        .contentType("application/json")
        .post(restoresOf(id))
        .then()
        .statusCode(400);
    postRestore(operator.token(), id, Map.of("backupId", UUID.randomUUID().toString()), 404);
    postRestore(
        Tokens.create("viewer").token(), id, Map.of("backupId", UUID.randomUUID().toString()), 403);
    assertThat(TestCustomers.fetch(id).getString("status")).isEqualTo("READY");
  }

  /** Reports the backup COMPLETED at {@code schemaVersion}, as the provisioner would. */
  private void complete(
      Tokens.Created operator, BackupRequested backup, String backupId, String schemaVersion) {
    bus.publish(
        new BackupCompleted(
            backup.meta().next(LifecycleScript.CLOCK),
            new BackupFile("d/database.dump", 10, "db-sha"),
            new BackupFile("d/redis.rdb", 5, "redis-sha"),
            schemaVersion,
            List.of()));
    await()
        .atMost(WAIT)
        .until(
            () ->
                operator
                    .read(BackupCalls.of(backup.customerId()) + "/" + backupId)
                    .getString("status"),
            "COMPLETED"::equals);
  }

  private static ValidatableResponse postRestore(String token, String id, Object body, int status) {
    return given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body(body)
        .post(restoresOf(id))
        .then()
        .statusCode(status);
  }

  private static String restoresOf(String id) {
    return "/api/v1/customers/" + id + "/restores";
  }
}
