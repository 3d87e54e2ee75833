package dev.tenantplane.gateway.backups;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tenantplane.common.events.BackupCompleted;
import dev.tenantplane.common.events.BackupFile;
import dev.tenantplane.common.events.BackupRequested;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.testing.BusProbe;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.TestInfrastructure;
import dev.tenantplane.gateway.LifecycleScript;
import dev.tenantplane.gateway.api.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Backups on the plan's schedule and its retention (the test profile keeps two backups of the small
 * plan, taken every 24 h): a customer whose period has passed gets one backup however many
 * schedules look at once; a new backup names the completed ones beyond retention, and they are
 * listed as PRUNED once the provisioner reports them gone.
 */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres,redis"))
class BackupScheduleIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject BackupSchedule schedule;
  @Inject Pool pool;

  private BusProbe bus;
  private LifecycleScript script;

  @BeforeEach
  void openProbe() {
    bus =
        new BusProbe(
            TestInfrastructure.kafka().bootstrapServers(),
            List.of(EventType.CUSTOMER_REQUESTED.topic(), EventType.BACKUP_REQUESTED.topic()));
    script = new LifecycleScript(bus);
  }

  @AfterEach
  void closeProbe() {
    bus.close();
  }

  @Test
  void aCustomerPastItsPeriodGetsOneScheduledBackupThoughTwoSchedulesLookAtOnce() throws Exception {
    String due = script.readyCustomer("schedule-due");
    String fresh = script.readyCustomer("schedule-fresh");
    createdAgo(due, Duration.ofHours(25));

    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<List<String>>> looks = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      looks.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return schedule.requestDue();
              }));
    }
    start.countDown();
    List<String> requested = new ArrayList<>();
    for (CompletableFuture<List<String>> look : looks) {
      requested.addAll(look.get());
    }

    // The schedule's own timer may have looked first; then neither look requests it again.
    assertThat(requested).doesNotContain(fresh);
    assertThat(requested.stream().filter(due::equals).count()).isLessThanOrEqualTo(1);
    BackupRequested first = script.awaitFor(BackupRequested.class, due);
    JsonPath list =
        await().atMost(WAIT).until(() -> backups(due), page -> page.getInt("total") == 1);
    assertThat(list.getString("items[0].id")).isEqualTo(first.backupId().toString());
    assertThat(list.getString("items[0].requestedBy")).isEqualTo(BackupCommands.SCHEDULE);
    assertThat(schedule.requestDue()).as("not due again within the period").doesNotContain(due);
    assertThat(backups(fresh).getInt("total")).isZero();
    assertThat(bus.events(BackupRequested.class).stream().filter(e -> e.customerId().equals(due)))
        .hasSize(1);
  }

  @Test
  void aNewBackupNamesTheCompletedOnesBeyondRetentionWhichAreThenListedAsPruned() {
    String id = script.readyCustomer("retention");
    Tokens.Created operator = Tokens.create("operator");
    UUID oldest = completedBackup(operator, id, List.of());
    UUID middle = completedBackup(operator, id, List.of());
    UUID newest =
        UUID.fromString(BackupCalls.request(operator, id, 202).jsonPath().getString("backupId"));
    BackupRequested third = awaitRequest(id, newest);

    assertThat(third.prune()).containsExactly(oldest);
    bus.publish(completion(third));
    JsonPath pruned =
        await()
            .atMost(WAIT)
            .until(
                () -> operator.read(BackupCalls.of(id) + "/" + oldest),
                view -> "PRUNED".equals(view.getString("status")));
    assertThat(pruned.getString("prunedAt")).isNotNull();
    assertThat(operator.read(BackupCalls.of(id) + "/" + middle).getString("status"))
        .isEqualTo("COMPLETED");
    assertThat(operator.read(BackupCalls.of(id) + "/" + newest).getString("status"))
        .isEqualTo("COMPLETED");
    assertThat(backups(id).getInt("total")).as("a pruned backup stays listed").isEqualTo(3);
    String refusal =
        given()
            .auth()
            .oauth2(operator.token())
            .contentType("application/json")
            .body(Map.of("backupId", oldest.toString()))
            .post("/api/v1/customers/" + id + "/restores")
            .then()
            .statusCode(409)
            .extract()
            .jsonPath()
            .getString("detail");
    assertThat(refusal).contains("PRUNED");
  }

  private UUID completedBackup(Tokens.Created operator, String id, List<UUID> expectedPrune) {
    UUID backupId =
        UUID.fromString(BackupCalls.request(operator, id, 202).jsonPath().getString("backupId"));
    BackupRequested request = awaitRequest(id, backupId);
    assertThat(request.prune()).isEqualTo(expectedPrune);
    bus.publish(completion(request));
    await()
        .atMost(WAIT)
        .until(
            () -> operator.read(BackupCalls.of(id) + "/" + backupId).getString("status"),
            "COMPLETED"::equals);
    return backupId;
  }

  private static BackupCompleted completion(BackupRequested request) {
    String dir = "customers/" + request.customerId() + "/backups/" + request.backupId();
    return new BackupCompleted(
        request.meta().next(LifecycleScript.CLOCK),
        new BackupFile(dir + "/database.dump", 10, "db"),
        new BackupFile(dir + "/redis.rdb", 5, "redis"),
        "1",
        request.prune());
  }

  private BackupRequested awaitRequest(String id, UUID backupId) {
    return bus
        .await(
            BackupRequested.class,
            seen -> seen.stream().anyMatch(e -> e.backupId().equals(backupId)),
            WAIT)
        .stream()
        .filter(e -> e.backupId().equals(backupId))
        .findFirst()
        .orElseThrow();
  }

  private void createdAgo(String id, Duration age) {
    pool.preparedQuery(
            "UPDATE customer SET created_at = now() - make_interval(secs => $2) WHERE id = $1")
        .execute(Tuple.of(id, (double) age.toSeconds()))
        .await()
        .atMost(WAIT);
  }

  private static JsonPath backups(String id) {
    return Tokens.create("viewer").read(BackupCalls.of(id));
  }
}
