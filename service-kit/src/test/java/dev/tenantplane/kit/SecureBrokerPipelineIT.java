package dev.tenantplane.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tenantplane.common.events.CustomerSuspendRequested;
import dev.tenantplane.common.events.CustomerSuspended;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.kafka.EventCodec;
import dev.tenantplane.common.testing.SecureKafkaBroker;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The kit's whole path against a broker that requires TLS and a SCRAM login, configured only
 * through {@code kafka.*}: an event written to the outbox is published by the relay, handled by a
 * step runner's channel, and the step's own event comes back through the outbox and the relay.
 */
@QuarkusTest
@TestProfile(SecureBrokerPipelineIT.SecureBroker.class)
class SecureBrokerPipelineIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** The first byte of a TLS alert record; a Kafka response would start with its size. */
  private static final int TLS_ALERT = 21;

  /** Only the secure broker: the other kit tests' plaintext one would set kafka.* as well. */
  public static class SecureBroker implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(SecureBrokerResource.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
      return true;
    }
  }

  @Inject Outbox outbox;
  @Inject OutboxRelay relay;
  @Inject EventCodec codec;
  @Inject Pool pool;

  /** Set by {@link SecureBrokerResource}. */
  SecureKafkaBroker broker;

  @Test
  void anEventFromTheOutboxRunsItsStepWhoseEventIsPublishedOverSaslSsl() throws Throwable {
    CustomerSuspendRequested request =
        new CustomerSuspendRequested(
            EventMeta.start(
                "secure-" + UUID.randomUUID().toString().substring(0, 8), Clock.systemUTC()));
    String customer = request.customerId();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      consumer.subscribe(List.of(EventType.CUSTOMER_SUSPENDED.topic()));
      VertxContextSupport.subscribeAndAwait(
          () -> Panache.withTransaction(() -> outbox.add(request)));
      relay.publishNow();

      List<CustomerSuspended> seen = new ArrayList<>();
      CustomerSuspended suspended =
          within(
                  "CustomerSuspended of " + customer + " on its topic",
                  () -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> keepSuspended(r, seen));
                    return seen.stream().filter(e -> e.customerId().equals(customer)).findFirst();
                  },
                  Optional::isPresent)
              .orElseThrow();

      assertThat(suspended.meta().causationId()).isEqualTo(request.meta().eventId());
      assertThat(suspended.meta().correlationId()).isEqualTo(request.meta().correlationId());
    }
    within(
        "both outbox rows of " + customer + " stamped sent",
        () -> sentRows(customer),
        sent -> sent == 2);
  }

  @Test
  void theBrokerRefusesAWrongPasswordAndPlaintext() throws IOException {
    Map<String, Object> wrongPassword = new HashMap<>(broker.clientProperties());
    wrongPassword.put(
        SaslConfigs.SASL_JAAS_CONFIG,
        SecureKafkaBroker.scramLogin(SecureKafkaBroker.USER, "not-it"));
    try (Admin admin = Admin.create(wrongPassword)) {
      assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
          .hasCauseInstanceOf(SaslAuthenticationException.class);
    }

    // A plaintext Kafka request (ApiVersions v0) is answered by TLS, which refuses it. A Kafka
    // client would read the alert as the size of a response and allocate hundreds of megabytes.
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", broker.getMappedPort(9092)), 5_000);
      socket.setSoTimeout(15_000);
      DataOutputStream request = new DataOutputStream(socket.getOutputStream());
      request.writeInt(10); // size of what follows
      request.writeShort(18); // ApiVersions
      request.writeShort(0); // its version
      request.writeInt(1); // correlation id
      request.writeShort(-1); // no client id
      request.flush();
      assertThat(socket.getInputStream().read()).isEqualTo(TLS_ALERT);
    }
  }

  @Test
  void noPasswordIsInTheContainersSettingsOrTheBrokersLog() {
    String settings =
        String.join("\n", broker.getContainerInfo().getConfig().getEnv())
            + "\n"
            + String.join(" ", broker.getContainerInfo().getArgs());
    String log = broker.getLogs();
    assertThat(log).contains("secure mode: EXTERNAL is SASL_SSL");
    for (String password : broker.passwords()) {
      assertThat(settings).doesNotContain(password);
      assertThat(log).doesNotContain(password);
    }
  }

  private KafkaConsumer<String, byte[]> consumer() {
    Map<String, Object> properties = new HashMap<>(broker.clientProperties());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "secure-probe-" + UUID.randomUUID());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
  }

  private void keepSuspended(ConsumerRecord<String, byte[]> record, List<CustomerSuspended> into) {
    if (codec.decode(record.headers(), record.value()) instanceof CustomerSuspended suspended) {
      into.add(suspended);
    }
  }

  /**
   * Polls until {@code done} holds; if it never does, fails with what a person needs to see why:
   * the outbox's rows and the broker's last log lines.
   */
  private <T> T within(String what, Callable<T> poll, Predicate<T> done) {
    try {
      return await(what).atMost(WAIT).pollInSameThread().until(poll, done);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "timed out after "
              + WAIT
              + " waiting for "
              + what
              + "\noutbox (newest first):\n"
              + outboxRows()
              + "\nbroker log (last 40 lines):\n"
              + logTail(40),
          e);
    }
  }

  private String outboxRows() {
    StringBuilder rows = new StringBuilder();
    for (Row row :
        pool.query(
                "SELECT id, topic, message_key, created_at, claimed_at, sent_at FROM outbox"
                    + " ORDER BY id DESC LIMIT 20")
            .execute()
            .await()
            .atMost(WAIT)) {
      rows.append(row.toJson().encode()).append('\n');
    }
    return rows.toString();
  }

  private String logTail(int lines) {
    List<String> all = broker.getLogs().lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  private long sentRows(String customer) {
    return pool.preparedQuery(
            "SELECT count(*) FROM outbox WHERE message_key = $1 AND sent_at IS NOT NULL")
        .execute(Tuple.of(customer))
        .await()
        .atMost(WAIT)
        .iterator()
        .next()
        .getLong(0);
  }
}
