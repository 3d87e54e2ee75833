package dev.tenantplane.common.testing;

import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.tenantplane.common.events.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The platform's Kafka image as a test container. Kafka tells clients the address to reconnect to,
 * so the host port is chosen before start and advertised; a random mapping would advertise a port
 * the host cannot reach.
 */
public class KafkaBroker extends GenericContainer<KafkaBroker> {
  /** Partitions per topic: more than one, so tests see what several consumers would. */
  public static final int PARTITIONS = 3;

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

  /** Creates every platform topic, as {@code deploy/platform.sh up} does. */
  @Override
  protected void containerIsStarted(InspectContainerResponse containerInfo) {
    try (Admin admin = Admin.create(clientProperties())) {
      admin
          .createTopics(
              Topics.all().stream().map(t -> new NewTopic(t, PARTITIONS, (short) 1)).toList())
          .all()
          .get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create the platform topics", e);
    }
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + hostPort;
  }

  /** What a client needs to reach this broker; a secure one adds its TLS and login settings. */
  public Map<String, Object> clientProperties() {
    return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
  }
}
