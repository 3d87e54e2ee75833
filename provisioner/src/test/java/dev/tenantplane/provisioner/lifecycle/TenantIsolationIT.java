package dev.tenantplane.provisioner.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.model.Frame;
import dev.tenantplane.common.events.ContainersStarted;
import dev.tenantplane.common.events.CustomerRequested;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.common.naming.PortPlan;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.common.testing.BusProbe;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.TestInfrastructure;
import dev.tenantplane.docker.ExecExit;
import dev.tenantplane.provisioner.TestStacks;
import dev.tenantplane.provisioner.allocation.AllocationStore;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two customers provisioned through the real steps; from inside A's app container, B's database and
 * Redis cannot be reached, neither by container name nor by container address, while A's own are
 * reachable the same ways (so the probe itself is shown to work).
 */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres"))
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantIsolationIT {
  private static final Logger LOG = Logger.getLogger(TenantIsolationIT.class);
  private static final Duration START_WAIT = Duration.ofSeconds(300);
  private static final Path CUSTOMERS = Path.of("target/customers");

  /** Seconds one connection attempt may take; a dropped packet shows up as this timeout. */
  private static final int CONNECT_SECONDS = 3;

  /** How long one probe may take in all, well past {@link #CONNECT_SECONDS}. */
  private static final Duration PROBE_LIMIT = Duration.ofSeconds(CONNECT_SECONDS + 15);

  /** timeout(1)'s exit status when the attempt ran out of time. */
  private static final long TIMED_OUT = 124;

  /** bash's exit status when the name did not resolve or the connection was refused. */
  private static final long FAILED = 1;

  @Inject DockerClient docker;
  @Inject AllocationStore store;

  private final String idA = TestStacks.customerId("pv-iso-a");
  private final String idB = TestStacks.customerId("pv-iso-b");
  private final TenantNames a = new TenantNames(idA);
  private final TenantNames b = new TenantNames(idB);

  @BeforeAll
  void provisionTwoCustomers() {
    int portA = TestStacks.freeRequestedPort(900, 924);
    int portB = TestStacks.freeRequestedPort(925, 949);
    try (BusProbe bus =
        new BusProbe(
            TestInfrastructure.kafka().bootstrapServers(),
            List.of(EventType.CONTAINERS_STARTED.topic(), EventType.STEP_FAILED.topic()))) {
      bus.publish(
          new CustomerRequested(EventMeta.start(idA, Clock.systemUTC()), "Alpha", "small", portA));
      bus.publish(
          new CustomerRequested(EventMeta.start(idB, Clock.systemUTC()), "Beta", "small", portB));
      bus.await(
          ContainersStarted.class,
          events -> {
            assertNoFinalFailure(bus);
            Set<String> started =
                events.stream().map(ContainersStarted::customerId).collect(Collectors.toSet());
            return started.contains(idA) && started.contains(idB);
          },
          START_WAIT);
    }
  }

  @AfterAll
  void removeBothStacks() throws Throwable {
    TestStacks.removeEverythingLabelledFor(docker, List.of(idA, idB));
    for (String id : List.of(idA, idB)) {
      VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> store.release(id)));
      TestStacks.deleteFolder(CUSTOMERS.resolve(id));
    }
  }

  @Test
  void appOfAReachesItsOwnDatabaseAndRedisByNameButNotThoseOfB() {
    String app = a.appContainer();

    assertThat(connect(app, a.databaseContainer(), PortPlan.DATABASE_BASE)).isZero();
    assertThat(connect(app, a.redisContainer(), PortPlan.REDIS_BASE)).isZero();
    assertThat(connect(app, b.databaseContainer(), PortPlan.DATABASE_BASE)).isIn(FAILED, TIMED_OUT);
    assertThat(connect(app, b.redisContainer(), PortPlan.REDIS_BASE)).isIn(FAILED, TIMED_OUT);
  }

  @Test
  void appOfAReachesItsOwnDatabaseAndRedisByAddressButNotThoseOfB() {
    String app = a.appContainer();

    assertThat(connect(app, address(a, a.databaseContainer()), PortPlan.DATABASE_BASE)).isZero();
    assertThat(connect(app, address(a, a.redisContainer()), PortPlan.REDIS_BASE)).isZero();
    assertThat(connect(app, address(b, b.databaseContainer()), PortPlan.DATABASE_BASE))
        .isIn(FAILED, TIMED_OUT);
    assertThat(connect(app, address(b, b.redisContainer()), PortPlan.REDIS_BASE))
        .isIn(FAILED, TIMED_OUT);
  }

  /** The container's address on its customer's network. */
  private String address(TenantNames names, String container) {
    String ip =
        docker
            .inspectContainerCmd(container)
            .exec()
            .getNetworkSettings()
            .getNetworks()
            .get(names.network())
            .getIpAddress();
    assertThat(ip).as(container + " address").isNotBlank();
    return ip;
  }

  /**
   * Opens a TCP connection from inside {@code container} with bash's {@code /dev/tcp} (the
   * tenant-app image has bash and coreutils' timeout, no netcat) and returns the exit status: 0
   * connected, 1 refused or unknown name, 124 timed out.
   */
  private long connect(String container, String host, int port) {
    ExecCreateCmdResponse exec =
        docker
            .execCreateCmd(container)
            .withAttachStdout(true)
            .withAttachStderr(true)
            .withCmd(
                "timeout",
                String.valueOf(CONNECT_SECONDS),
                "bash",
                "-c",
                "exec 3<>\"/dev/tcp/$0/$1\"",
                host,
                String.valueOf(port))
            .exec();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    Long exit;
    try {
      docker
          .execStartCmd(exec.getId())
          .exec(
              new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                  output.writeBytes(frame.getPayload());
                }
              })
          .awaitCompletion(PROBE_LIMIT.toSeconds(), TimeUnit.SECONDS);
      exit = ExecExit.await(docker, exec.getId(), PROBE_LIMIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while probing " + host + ":" + port, e);
    }
    LOG.infof(
        "probe from %s to %s:%d: exit=%s %s",
        container, host, port, exit, output.toString(StandardCharsets.UTF_8).trim());
    assertThat(exit).as("exit status of the probe of " + host + ":" + port).isNotNull();
    return exit;
  }

  private void assertNoFinalFailure(BusProbe bus) {
    assertThat(
            bus.events(StepFailed.class).stream()
                .filter(e -> !e.retryable())
                .filter(e -> e.customerId().equals(idA) || e.customerId().equals(idB))
                .toList())
        .as("failed steps while provisioning")
        .isEmpty();
  }
}
