package dev.tenantplane.migrator.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.crypto.EnvelopeSealer;
import dev.tenantplane.common.crypto.TenantSecrets;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.SealedEnvelope;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.migrator.TenantPostgres;
import dev.tenantplane.migrator.fleet.FleetFixtures;
import dev.tenantplane.migrator.fleet.FleetFixtures.RegistryRow;
import dev.tenantplane.migrator.fleet.FleetRunsIT;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The registry across two lives of one customer id on the real control-plane database: each event
 * changes only the row of its own life, and the end of a life makes its late events known as late.
 * (The fleet worker is off, as in {@link FleetRunsIT}, whose application this test shares.)
 */
@QuarkusTest
@TestProfile(FleetRunsIT.WorkerOff.class)
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres"))
class CustomerRegistryIT {
  @Inject CustomerRegistry registry;
  @Inject EnvelopeSealer sealer;

  private final String id = TenantPostgres.customerId("lives");
  private final EventMeta firstLife = EventMeta.start(id, Clock.systemUTC());
  private final EventMeta secondLife = EventMeta.start(id, 2, Clock.systemUTC());

  @Test
  void theEndOfALifeMakesItsEventsLateAndLeavesTheNextLifeAlone() throws Throwable {
    SealedEnvelope firstCredentials = credentials();
    inTransaction(() -> registry.remember(firstLife, 5901, firstCredentials, "1"));
    assertThat(FleetFixtures.registryRow(id)).isEqualTo(new RegistryRow(1, true, 5901, "1"));
    assertThat(registry.ended(firstLife)).as("a life that did not end").isFalse();

    inTransaction(() -> registry.forget(firstLife));
    assertThat(FleetFixtures.registryRow(id)).as("forgotten at the end of its life").isNull();
    assertThat(registry.ended(firstLife)).as("an event of the ended life").isTrue();
    assertThat(registry.ended(secondLife)).as("an event of the next life").isFalse();

    inTransaction(() -> registry.remember(secondLife, 5902, credentials(), "1"));
    RegistryRow second = new RegistryRow(2, true, 5902, "1");
    assertThat(FleetFixtures.registryRow(id)).isEqualTo(second);

    inTransaction(() -> registry.setActive(firstLife, false));
    inTransaction(() -> registry.remember(firstLife, 5901, firstCredentials, "1"));
    inTransaction(() -> registry.recordVersion(id, 1, "2"));
    assertThat(FleetFixtures.registryRow(id))
        .as(
            "the second life's row after a late suspend, registration and fleet result of the first")
        .isEqualTo(second);
    inTransaction(() -> registry.forget(firstLife));
    assertThat(FleetFixtures.registryRow(id))
        .as("the second life's row after a late end of the first")
        .isEqualTo(second);
    assertThat(registry.ended(secondLife)).isFalse();

    inTransaction(() -> registry.setActive(secondLife, false));
    assertThat(FleetFixtures.registryRow(id).active()).as("suspended in its second life").isFalse();
    inTransaction(() -> registry.forget(secondLife));
    assertThat(FleetFixtures.registryRow(id)).isNull();
    assertThat(registry.ended(secondLife)).isTrue();
    assertThat(registry.ended(firstLife)).isTrue();
  }

  private SealedEnvelope credentials() {
    return TenantSecrets.generate(new SecureRandom()).seal(id, sealer);
  }

  private static <T> T inTransaction(Supplier<Uni<T>> work) throws Throwable {
    return VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(work));
  }
}
