package dev.tenantplane.gateway.outbox;

import dev.tenantplane.common.testing.KafkaBroker;
import dev.tenantplane.common.testing.TestContainers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A Kafka broker of one test class's own, so that the class can stop and start it (a broker outage)
 * without touching the broker every other test shares. It replaces that broker's address in the
 * gateway's configuration, which is why it starts after {@code InfrastructureResource}.
 */
public class StoppableBrokerResource implements QuarkusTestResourceLifecycleManager {
  /** The broker's container id, handed to the test through configuration. */
  static final String CONTAINER_ID = "tenantplane.test.stoppable-kafka.container-id";

  private KafkaBroker broker;

  @Override
  public Map<String, String> start() {
    broker = new KafkaBroker(TestContainers.freeLoopbackPort());
    broker.start();
    return Map.of(
        "kafka.bootstrap.servers",
        broker.bootstrapServers(),
        CONTAINER_ID,
        broker.getContainerId(),
        // The relay's schedule would retry at moments the test cannot see; stretched out of the
        // test's way, each publishing round is the one right after a commit or one the test runs.
        "tenantplane.kit.outbox-interval",
        "1h");
  }

  @Override
  public int order() {
    return 1;
  }

  @Override
  public void stop() {
    if (broker != null) {
      broker.stop();
    }
  }
}
