package dev.tenantplane.migrator.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.tenantplane.common.crypto.EnvelopeSealer;
import dev.tenantplane.common.crypto.TenantSecrets;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.FleetMigrationCompleted;
import dev.tenantplane.common.events.FleetMigrationRequested;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.common.naming.CustomerIds;
import dev.tenantplane.common.testing.BusProbe;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.TestContainers;
import dev.tenantplane.common.testing.TestInfrastructure;
import dev.tenantplane.migrator.TenantPostgres;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fleet run's bookkeeping with the fleet worker switched off, so that the test alone decides
 * when customers are claimed and finished: the consumer only records runs, and claims never exceed
 * a run's concurrency.
 */
@QuarkusTest
@TestProfile(FleetRunsIT.WorkerOff.class)
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres"))
public class FleetRunsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration CLAIM_TIMEOUT = Duration.ofMinutes(15);

  /** The worker's schedule is off: nothing claims customers but the test. */
  public static class WorkerOff implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("tenantplane.migrator.fleet-poll-interval", "off");
    }
  }

  @Inject EnvelopeSealer sealer;
  @Inject FleetRuns runs;
  private BusProbe bus;
  private final List<String> customers = new ArrayList<>();

  @BeforeEach
  void registerThreeCustomers() throws Exception {
    bus = new BusProbe(TestInfrastructure.kafka().bootstrapServers(), List.of());
    FleetFixtures.forgetEveryCustomerAndRun();
    customers.clear();
    for (String label : List.of("runs-a", "runs-b", "runs-c")) {
      String id = TenantPostgres.customerId(label);
      FleetFixtures.register(
          id,
          TestContainers.freeLoopbackPort(),
          TenantSecrets.generate(new SecureRandom()),
          sealer,
          "1");
      customers.add(id);
    }
  }

  @AfterEach
  void closeProbe() {
    bus.close();
  }

  @Test
  void consumerRecordsEachRequestAsARunAndMigratesNobodyItself() throws Exception {
    FleetMigrationRequested first = request(2);
    FleetMigrationRequested second = request(2);
    bus.publish(first);
    bus.publish(second);

    awaitRecorded(first);
    awaitRecorded(second);
    for (FleetMigrationRequested request : List.of(first, second)) {
      UUID run = request.meta().eventId();
      assertThat(FleetFixtures.runCompleted(run)).isFalse();
      assertThat(FleetFixtures.customersOfRun(run, "pending")).isEqualTo(3);
      assertThat(FleetFixtures.customersOfRun(run, "claimed")).isZero();
    }
  }

  @Test
  void claimsStayWithinTheRunsConcurrencyAndTheLastResultCompletesTheRun() throws Throwable {
    FleetMigrationRequested request = request(2);
    bus.publish(request);
    UUID run = awaitRecorded(request);

    List<FleetClaim> firstRound = inTransaction(() -> runs.claimRound(8, CLAIM_TIMEOUT)).claims();
    assertThat(firstRound).hasSize(2).allMatch(c -> c.runId().equals(run));
    assertThat(inTransaction(() -> runs.claimRound(8, CLAIM_TIMEOUT)).claims()).isEmpty();

    assertThat(finish(firstRound.get(0), CustomerResult.migrated("2"))).isEmpty();
    List<FleetClaim> secondRound = inTransaction(() -> runs.claimRound(8, CLAIM_TIMEOUT)).claims();
    assertThat(secondRound).hasSize(1);
    assertThat(FleetFixtures.customersOfRun(run, "claimed")).isEqualTo(2);

    assertThat(finish(firstRound.get(1), CustomerResult.alreadyCurrent("2"))).isEmpty();
    List<LifecycleEvent> report =
        finish(secondRound.get(0), CustomerResult.failed("migration failed at version 2", "x"));

    assertThat(report).hasSize(2);
    FleetMigrationCompleted completed = (FleetMigrationCompleted) report.get(0);
    assertThat(completed.meta().causationId()).isEqualTo(run);
    assertThat(completed.migrated()).isEqualTo(1);
    assertThat(completed.alreadyCurrent()).containsExactly(firstRound.get(1).customerId());
    assertThat(completed.failedCustomers()).containsExactly(secondRound.get(0).customerId());
    assertThat(((StepFailed) report.get(1)).customerId())
        .isEqualTo(secondRound.get(0).customerId());
    assertThat(FleetFixtures.runCompleted(run)).isTrue();
    assertThat(FleetFixtures.registryVersion(firstRound.get(0).customerId())).isEqualTo("2");
    assertThat(inTransaction(() -> runs.claimRound(8, CLAIM_TIMEOUT)).claims()).isEmpty();
  }

  @Test
  void releasedClaimIsClaimedAgainAndAResultIsRecordedOnce() throws Throwable {
    FleetMigrationRequested request = request(1);
    bus.publish(request);
    UUID run = awaitRecorded(request);

    List<FleetClaim> claimed = inTransaction(() -> runs.claimRound(8, CLAIM_TIMEOUT)).claims();
    assertThat(claimed).hasSize(1);
    inTransaction(() -> runs.release(claimed));
    List<FleetClaim> again = inTransaction(() -> runs.claimRound(8, CLAIM_TIMEOUT)).claims();
    assertThat(again).containsExactlyElementsOf(claimed);

    finish(again.get(0), CustomerResult.migrated("2"));
    finish(again.get(0), CustomerResult.failed("a late duplicate", null));
    assertThat(FleetFixtures.customersOfRun(run, "finished")).isEqualTo(1);
    assertThat(FleetFixtures.registryVersion(again.get(0).customerId())).isEqualTo("2");
  }

  /**
   * A run takes each customer's life (generation) of the time of the request: its report addresses
   * a failed customer's StepFailed to that life, and a customer whose life ended and began again
   * since is dropped from the run, its new life migrated by its own provisioning.
   */
  @Test
  void aRunAddressesTheLifeItTookEachCustomerFrom() throws Throwable {
    String broughtBack = customers.get(2);
    FleetFixtures.setGeneration(broughtBack, 2);
    FleetMigrationRequested request = request(3);
    bus.publish(request);
    UUID run = awaitRecorded(request);
    String livesAgain = customers.get(1);
    FleetFixtures.setGeneration(livesAgain, 3);

    List<FleetClaim> claimed = inTransaction(() -> runs.claimRound(8, CLAIM_TIMEOUT)).claims();
    assertThat(claimed)
        .as("the run's customers whose life did not end since the request")
        .extracting(FleetClaim::customerId, FleetClaim::generation)
        .containsExactlyInAnyOrder(tuple(customers.get(0), 1), tuple(broughtBack, 2));
    FleetClaim second =
        claimed.stream().filter(c -> c.customerId().equals(broughtBack)).findFirst().orElseThrow();
    FleetClaim first = claimed.get(claimed.get(0) == second ? 1 : 0);
    finish(first, CustomerResult.migrated("2"));
    List<LifecycleEvent> report = finish(second, CustomerResult.failed("refused", null));

    assertThat(report).hasSize(2);
    FleetMigrationCompleted completed = (FleetMigrationCompleted) report.get(0);
    assertThat(completed.meta().generation()).isEqualTo(EventMeta.FIRST_GENERATION);
    assertThat(completed.failedCustomers()).containsExactly(broughtBack);
    StepFailed failed = (StepFailed) report.get(1);
    assertThat(failed.customerId()).isEqualTo(broughtBack);
    assertThat(failed.meta().generation()).as("the failed customer's generation").isEqualTo(2);
    assertThat(FleetFixtures.registryRow(livesAgain).schemaVersion())
        .as("the new life's version, untouched by the run")
        .isEqualTo("1");
  }

  private FleetMigrationRequested request(int maxConcurrency) {
    return new FleetMigrationRequested(
        EventMeta.start(CustomerIds.FLEET, Clock.systemUTC()), maxConcurrency);
  }

  private List<LifecycleEvent> finish(FleetClaim claim, CustomerResult result) throws Throwable {
    return inTransaction(() -> runs.finish(claim, result));
  }

  private static <T> T inTransaction(Supplier<Uni<T>> work) throws Throwable {
    return VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(work));
  }

  /** Waits until the consumer recorded the request's run with its customers; returns its id. */
  private static UUID awaitRecorded(FleetMigrationRequested request) {
    UUID run = request.meta().eventId();
    await("fleet run " + run + " recorded")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> FleetFixtures.runCompleted(run) != null);
    return run;
  }
}
