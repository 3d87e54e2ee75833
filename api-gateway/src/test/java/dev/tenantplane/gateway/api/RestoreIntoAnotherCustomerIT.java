package dev.tenantplane.gateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tenantplane.common.events.BackupCompleted;
import dev.tenantplane.common.events.BackupFile;
import dev.tenantplane.common.events.BackupRequested;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.RestoreRequested;
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
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Restoring one customer's backup into another (a clone, {@code targetId}): the event is the
 * target's and names the source, both audit trails record it, and every refused request answers a
 * 4xx and changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres,redis"))
class RestoreIntoAnotherCustomerIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private BusProbe bus;
  private LifecycleScript script;
  private Tokens.Created operator;

  @BeforeEach
  void openProbe() {
    bus =
        new BusProbe(
            TestInfrastructure.kafka().bootstrapServers(),
            List.of(EventType.CUSTOMER_REQUESTED.topic(), EventType.RESTORE_REQUESTED.topic()));
    script = new LifecycleScript(bus);
    operator = Tokens.create("operator");
  }

  @AfterEach
  void closeProbe() {
    bus.close();
  }

  @Test
  void aSourcesBackupIsRestoredIntoTheTargetAsTheTargetsEventNamingTheSource() {
    String source = script.readyCustomer("clone-src", "standard");
    String target = script.readyCustomer("clone-dst", "large");
    BackupCompleted backup = completedBackup(source);

    JsonPath accepted =
        restore(operator.token(), source, body(backup.backupId(), target), 202)
            .extract()
            .jsonPath();

    assertThat(accepted.getString("id")).isEqualTo(target);
    assertThat(accepted.getString("status")).isEqualTo("RESTORING");
    RestoreRequested event = script.awaitFor(RestoreRequested.class, target);
    assertThat(event.sourceCustomerId()).isEqualTo(source);
    assertThat(event.backupId()).isEqualTo(backup.backupId());
    assertThat(event.schemaVersion()).isEqualTo("1");
    assertThat(event.databaseSha256()).isEqualTo(backup.database().sha256());
    assertThat(event.redisSha256()).isEqualTo(backup.redis().sha256());
    assertThat(event.meta().correlationId().toString())
        .isEqualTo(accepted.getString("correlationId"));
    await()
        .atMost(WAIT)
        .until(() -> TestCustomers.fetch(target).getString("status"), "RESTORING"::equals);
    assertThat(TestCustomers.fetch(target).getList("timeline.type", String.class))
        .contains(EventType.RESTORE_REQUESTED.wireType());
    assertThat(TestCustomers.fetch(source).getString("status")).isEqualTo("READY");
    JsonPath targetAudit = audit(target, "restore-requested");
    assertThat(targetAudit.getString("items[0].actor")).isEqualTo(operator.name());
    assertThat(targetAudit.getString("items[0].detail"))
        .isEqualTo("backup=" + backup.backupId() + " source=" + source);
    JsonPath sourceAudit = audit(source, "restore-copied");
    assertThat(sourceAudit.getString("items[0].actor")).isEqualTo(operator.name());
    assertThat(sourceAudit.getString("items[0].eventId"))
        .isEqualTo(event.meta().eventId().toString());
    assertThat(sourceAudit.getString("items[0].detail"))
        .isEqualTo("backup=" + backup.backupId() + " target=" + target);
    restore(operator.token(), source, body(backup.backupId(), target), 409);

    // The source as its own target is the source's own restore, as without a target.
    restore(operator.token(), source, body(backup.backupId(), source), 202);
    RestoreRequested own = script.awaitFor(RestoreRequested.class, source);
    assertThat(own.sourceCustomerId()).isNull();
    assertThat(own.backupId()).isEqualTo(backup.backupId());
  }

  @Test
  void everyBadRestoreIntoAnotherCustomerIsRefusedAndChangesNothing() {
    String source = script.readyCustomer("clone-bad-src", "standard");
    String target = script.readyCustomer("clone-bad-dst", "standard");
    String smaller = script.readyCustomer("clone-bad-small", "small");
    String requestedOnly = TestCustomers.id("clone-bad-early");
    script.request(requestedOnly, "large");
    UUID backup = completedBackup(source).backupId();
    UUID targetsOwn = completedBackup(target).backupId();
    UUID unfinished =
        UUID.fromString(
            BackupCalls.request(operator, source, 202).jsonPath().getString("backupId"));

    String nobody = TestCustomers.id("clone-nobody");
    refusedWith(404, source, body(backup, nobody), "no customer " + nobody);
    refusedWith(404, nobody, body(backup, target), "no customer " + nobody);
    refusedWith(409, source, body(backup, requestedOnly), "is REQUESTED");
    refusedWith(404, source, body(targetsOwn, target), source + " has no backup " + targetsOwn);
    refusedWith(404, source, body(UUID.randomUUID(), target), source + " has no backup");
    refusedWith(409, source, body(unfinished, target), "is REQUESTED; only a COMPLETED one");
    refusedWith(409, source, body(backup, smaller), "is on plan small, smaller than");

    for (String bad : List.of("Bad-Id", "www", "a", "ab--c", "has space", "")) {
      assertThat(
              restore(operator.token(), source, body(backup, bad), 400)
                  .extract()
                  .jsonPath()
                  .getList("errors.field", String.class))
          .as("targetId %s", bad)
          .containsExactly(RestoreResource.TARGET_ID);
    }
    assertThat(
            restore(
                    operator.token(),
                    source,
                    Map.of("backupId", backup.toString(), "targetId", 7),
                    400)
                .extract()
                .jsonPath()
                .getList("errors.field", String.class))
        .containsExactly(RestoreResource.TARGET_ID);
    restore(Tokens.create("viewer").token(), source, body(backup, target), 403);

    for (String id : List.of(source, target, smaller)) {
      assertThat(TestCustomers.fetch(id).getString("status")).as(id).isEqualTo("READY");
      assertThat(audit(id, "restore-requested").getInt("total")).as(id).isZero();
      assertThat(audit(id, "restore-copied").getInt("total")).as(id).isZero();
      assertThat(TestCustomers.fetch(id).getList("timeline.type", String.class))
          .as(id)
          .doesNotContain(EventType.RESTORE_REQUESTED.wireType());
    }
    assertThat(TestCustomers.fetch(requestedOnly).getString("status")).isEqualTo("REQUESTED");

    // The one accepted request afterwards is the only restore on the bus for the target.
    restore(operator.token(), source, body(backup, target), 202);
    script.awaitFor(RestoreRequested.class, target);
    assertThat(
            bus.events(RestoreRequested.class).stream()
                .filter(e -> List.of(source, target, smaller).contains(e.customerId()))
                .toList())
        .hasSize(1);
  }

  /** A COMPLETED backup of {@code id}, as the provisioner would report it. */
  private BackupCompleted completedBackup(String id) {
    String backupId = BackupCalls.request(operator, id, 202).jsonPath().getString("backupId");
    BackupRequested requested =
        bus
            .await(
                BackupRequested.class,
                events -> events.stream().anyMatch(e -> e.backupId().toString().equals(backupId)),
                WAIT)
            .stream()
            .filter(e -> e.backupId().toString().equals(backupId))
            .findFirst()
            .orElseThrow();
    BackupCompleted completed =
        new BackupCompleted(
            requested.meta().next(LifecycleScript.CLOCK),
            new BackupFile("customers/" + id + "/backups/" + backupId + "/database.dump", 10, "d"),
            new BackupFile("customers/" + id + "/backups/" + backupId + "/redis.rdb", 5, "r"),
            "1",
            List.of());
    bus.publish(completed);
    await()
        .atMost(WAIT)
        .until(
            () -> operator.read(BackupCalls.of(id) + "/" + backupId).getString("status"),
            "COMPLETED"::equals);
    return completed;
  }

  /** A restore of {@code source}'s backup refused with {@code status}, its detail naming why. */
  private void refusedWith(int status, String source, Map<String, Object> body, String why) {
    String detail =
        restore(operator.token(), source, body, status).extract().jsonPath().getString("detail");
    assertThat(detail).as("status %d for %s of %s", status, body, source).contains(why);
  }

  private static Map<String, Object> body(UUID backupId, String targetId) {
    return Map.of("backupId", backupId.toString(), "targetId", targetId);
  }

  private static ValidatableResponse restore(String token, String id, Object body, int status) {
    return given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body(body)
        .post("/api/v1/customers/" + id + "/restores")
        .then()
        .statusCode(status);
  }

  private static JsonPath audit(String customer, String action) {
    return given()
        .auth()
        .oauth2(Tokens.admin())
        .queryParam("customer", customer)
        .queryParam("action", action)
        .get("/api/v1/audit")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }
}
