package dev.tenantplane.common.testing;

import java.time.Duration;
import java.util.Map;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The platform's Kafka image as a test container. Kafka tells clients the address to reconnect to,
 * so the host port is chosen before start and advertised; a random mapping would advertise a port
 * the host cannot reach.
 */
public class KafkaBroker extends GenericContainer<KafkaBroker> {
  private final int hostPort;

  public KafkaBroker(int hostPort) {
    super(LocalImages.kafka());
    this.hostPort = hostPort;
    withEnv("KAFKA_EXTERNAL_ADVERTISED", "127.0.0.1:" + hostPort);
    withEnv("KAFKA_HEAP", "384m");
    waitingFor(
        Wait.forLogMessage(".*Kafka Server started.*", 1)
            .withStartupTimeout(Duration.ofSeconds(90)));
    TestContainers.onLoopback(this, Map.of(9092, hostPort));
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + hostPort;
  }
}
