package dev.tenantplane.gateway.outbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.ExposedPort;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.testing.MetricsPage;
import dev.tenantplane.gateway.TestCustomers;
import dev.tenantplane.gateway.TopicRecords;
import dev.tenantplane.gateway.api.Tokens;
import dev.tenantplane.kit.OutboxRelay;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * The gateway's promise that an accepted request is never lost: with the broker down, a request is
 * still accepted and its event waits in the outbox; once the broker is back, the event is published
 * exactly once.
 */
@QuarkusTest
@WithTestResource(
    value = StoppableBrokerResource.class,
    scope = TestResourceScope.RESTRICTED_TO_CLASS)
class BrokerOutageIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String TOPIC = EventType.CUSTOMER_REQUESTED.topic();
  private static final String UNSENT = "tenantplane_outbox_unsent";

  @Inject Pool pool;
  @Inject OutboxRelay relay;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrapServers;

  /** Read when the test runs: the other test classes' applications do not have it. */
  private String brokerContainer;

  /** The outbox row of a customer's CustomerRequested. */
  record OutboxRow(boolean claimed, boolean sent) {}

  @Test
  void requestAcceptedWhileTheBrokerIsDownIsPublishedExactlyOnceWhenItIsBack() throws Exception {
    brokerContainer =
        ConfigProvider.getConfig().getValue(StoppableBrokerResource.CONTAINER_ID, String.class);
    assertThat(bootstrapServers).as("the gateway's broker").isEqualTo(stoppableBrokerAddress());
    String beforeOutage = TestCustomers.id("outage-before");
    request(beforeOutage);
    awaitRow(beforeOutage, OutboxRow::sent, "published while the broker is up");

    String id = TestCustomers.id("outage");
    stopBroker();
    try {
      request(id);
      assertThat(row(id)).hasValueSatisfying(r -> assertThat(r.sent()).isFalse());
      awaitRow(id, OutboxRow::claimed, "taken up by the relay");
      awaitRow(id, r -> !r.claimed(), "given back by the relay when publishing failed");
      assertThat(row(id)).hasValueSatisfying(r -> assertThat(r.sent()).isFalse());
      await("the backlog on /q/metrics")
          .atMost(WAIT)
          .until(BrokerOutageIT::metrics, page -> page.value(UNSENT, Map.of()) >= 1);
    } finally {
      startBroker();
    }
    // The relay is driven rather than waited for, so the test does not sit out its interval.
    await("the outbox row of " + id + " published")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> {
              relay.publishNow();
              return row(id).orElseThrow().sent();
            });

    assertThat(TopicRecords.countWithKey(bootstrapServers, TOPIC, id)).isEqualTo(1);
    assertThat(TopicRecords.countWithKey(bootstrapServers, TOPIC, beforeOutage)).isEqualTo(1);
    await("no backlog on /q/metrics")
        .atMost(WAIT)
        .until(BrokerOutageIT::metrics, page -> page.value(UNSENT, Map.of()) == 0);
  }

  private static MetricsPage metrics() {
    return new MetricsPage(given().get("/q/metrics").then().statusCode(200).extract().asString());
  }

  private static void request(String id) {
    given()
        .auth()
        .oauth2(Tokens.admin())
        .contentType("application/json")
        .body(Map.of("id", id, "name", "Outage Ltd"))
        .post("/api/v1/customers")
        .then()
        .statusCode(202);
  }

  private Optional<OutboxRow> row(String id) {
    var rows =
        pool.preparedQuery(
                "SELECT claimed_at IS NOT NULL AS claimed, sent_at IS NOT NULL AS sent"
                    + " FROM outbox WHERE topic = $1 AND message_key = $2")
            .execute(Tuple.of(TOPIC, id))
            .await()
            .atMost(WAIT);
    assertThat(rows.size()).as("outbox rows of %s", id).isLessThanOrEqualTo(1);
    for (Row row : rows) {
      return Optional.of(new OutboxRow(row.getBoolean("claimed"), row.getBoolean("sent")));
    }
    return Optional.empty();
  }

  private void awaitRow(String id, Predicate<OutboxRow> condition, String what) {
    await("the outbox row of " + id + " " + what)
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> row(id).filter(condition).isPresent());
  }

  private String stoppableBrokerAddress() {
    var bindings =
        DockerClientFactory.instance()
            .client()
            .inspectContainerCmd(brokerContainer)
            .exec()
            .getHostConfig()
            .getPortBindings()
            .getBindings()
            .get(ExposedPort.tcp(9092));
    return bindings[0].getHostIp() + ":" + bindings[0].getHostPortSpec();
  }

  private void stopBroker() {
    DockerClientFactory.instance()
        .client()
        .stopContainerCmd(brokerContainer)
        .withTimeout(30)
        .exec();
  }

  /** Starts the broker again (same container, port and data) and waits until it answers. */
  private void startBroker() {
    DockerClientFactory.instance().client().startContainerCmd(brokerContainer).exec();
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      await("the broker answering again")
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(
              () -> admin.describeTopics(List.of(TOPIC)).allTopicNames().get(5, TimeUnit.SECONDS),
              topics -> true);
    }
  }
}
