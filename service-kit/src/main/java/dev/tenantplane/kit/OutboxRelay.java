package dev.tenantplane.kit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox to Kafka in id order and stamps each row sent once the broker acknowledged
 * it. One batch is in flight at a time across all instances of a service, so events keep their
 * order; a batch whose relay died mid-send is taken over after the claim timeout. A crash between
 * the acknowledgement and the stamp publishes a row twice, which consumers' inboxes absorb.
 */
@ApplicationScoped
public class OutboxRelay {
  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};

  private static final Duration BUSY_RETRY = Duration.ofMillis(20);
  private static final int BUSY_RETRY_LIMIT = 50;

  private final KitSettings settings;
  private final Map<String, Object> producerConfig;
  private final ScheduledExecutorService relayThread =
      Executors.newSingleThreadScheduledExecutor(
          work -> {
            Thread thread = new Thread(work, "outbox-relay");
            thread.setDaemon(true);
            return thread;
          });
  private final AtomicBoolean requested = new AtomicBoolean();
  private final AtomicInteger busyRetries = new AtomicInteger();
  private KafkaProducer<String, byte[]> producer;
  private volatile boolean stopping;

  /**
   * @param kafka every {@code kafka.*} setting, as the Quarkus Kafka extension hands them to the
   *     channels (bootstrap servers, TLS, SASL, client id, compression, ...)
   */
  public OutboxRelay(
      KitSettings settings, @Identifier("default-kafka-broker") Map<String, Object> kafka) {
    this.settings = settings;
    this.producerConfig = producerConfig(kafka);
  }

  /**
   * The relay's producer settings: the broker's, as every channel has them, with the relay's own
   * guarantees on top (all replicas acknowledge, no duplicates from the producer's retries, bounded
   * waits), which a {@code kafka.*} setting cannot weaken.
   */
  static Map<String, Object> producerConfig(Map<String, Object> kafka) {
    Map<String, Object> config = new HashMap<>(kafka);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    return Map.copyOf(config);
  }

  record Pending(long id, String topic, String key, Map<String, String> headers, byte[] payload) {}

  /** The safety net: publishes what no {@link #publishNow()} call did, e.g. after a crash. */
  @Scheduled(
      every = "${tenantplane.kit.outbox-interval:1s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    publishNow();
  }

  /**
   * Asks for the pending rows to be published now; called by writers right after their commit so
   * events do not wait for the schedule. Returns at once: the relay's own thread publishes, and
   * calls that come while it works are served by one more pass. Never throws: what it cannot
   * publish stays for the next round.
   */
  public void publishNow() {
    if (stopping) {
      return;
    }
    if (requested.compareAndSet(false, true)) {
      try {
        relayThread.execute(this::drain);
      } catch (RejectedExecutionException e) {
        requested.set(false);
      }
    }
  }

  /** Publishes batches until none is left; a batch another instance holds is waited for briefly. */
  private void drain() {
    requested.set(false);
    if (stopping) {
      return;
    }
    try {
      Round round;
      do {
        round = publishOneBatch();
      } while (round == Round.SENT);
      if (round == Round.BUSY && busyRetries.incrementAndGet() <= BUSY_RETRY_LIMIT) {
        // Another instance is publishing; its batch is usually done within milliseconds, and
        // waiting for the schedule would add up to a whole interval to this instance's events.
        relayThread.schedule(this::publishNow, BUSY_RETRY.toMillis(), TimeUnit.MILLISECONDS);
      } else if (round != Round.BUSY) {
        busyRetries.set(0);
      }
    } catch (Throwable e) {
      LOG.warnf("outcome=outbox-publish-failed reason=\"%s\"", e.getMessage());
    }
  }

  /** What one round did. */
  enum Round {
    /** Published a batch, or part of one; there may be more. */
    SENT,
    /** Nothing was pending. */
    EMPTY,
    /** Another relay holds the outbox, or a batch it claimed is still in flight. */
    BUSY,
    /** A send failed; the rest waits for the next round. */
    STOPPED
  }

  /** Publishes one batch. */
  Round publishOneBatch() throws Throwable {
    List<Pending> batch =
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(this::claim));
    if (batch == null) {
      return Round.BUSY;
    }
    if (batch.isEmpty()) {
      return Round.EMPTY;
    }
    List<Future<?>> acks = new ArrayList<>(batch.size());
    for (Pending row : batch) {
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>(row.topic(), null, row.key(), row.payload());
      row.headers().forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
      acks.add(producer().send(record));
    }
    List<Long> sentIds = new ArrayList<>(batch.size());
    try {
      for (int i = 0; i < acks.size(); i++) {
        acks.get(i).get();
        sentIds.add(batch.get(i).id());
      }
    } catch (Exception e) {
      LOG.warnf("outbox publish stopped after %d of %d rows: %s", sentIds.size(), batch.size(), e);
    }
    List<Long> unsentIds =
        batch.stream().map(Pending::id).filter(id -> !sentIds.contains(id)).toList();
    VertxContextSupport.subscribeAndAwait(
        () -> Panache.withTransaction(() -> markSent(sentIds).chain(() -> release(unsentIds))));
    return sentIds.size() == batch.size() ? Round.SENT : Round.STOPPED;
  }

  /**
   * Claims the next batch in id order; null when the outbox is busy: another relay holds the lock,
   * or a batch it claimed is still unsent and not yet past the claim timeout.
   */
  private Uni<List<Pending>> claim() {
    double timeoutSeconds = (double) settings.outboxClaimTimeout().toMillis() / 1000;
    return Panache.getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(
                        "SELECT pg_try_advisory_xact_lock(hashtext(current_schema() || '.outbox'))"
                            + " AND NOT EXISTS (SELECT 1 FROM outbox WHERE sent_at IS NULL"
                            + " AND claimed_at > now() - make_interval(secs => :timeout))",
                        Boolean.class)
                    .setParameter("timeout", timeoutSeconds)
                    .getSingleResult()
                    .chain(
                        free ->
                            !free
                                ? Uni.createFrom().<List<Object[]>>nullItem()
                                : session
                                    .createNativeQuery(
                                        "UPDATE outbox SET claimed_at = now() WHERE id IN ("
                                            + " SELECT id FROM outbox WHERE sent_at IS NULL"
                                            + " ORDER BY id LIMIT :batch)"
                                            + " RETURNING id, topic, message_key, headers,"
                                            + " encode(payload, 'base64')",
                                        Object[].class)
                                    .setParameter("batch", settings.outboxBatch())
                                    .getResultList()))
        .map(rows -> rows == null ? null : toPending(rows));
  }

  private static List<Pending> toPending(List<Object[]> rows) {
    List<Pending> pending = new ArrayList<>(rows.size());
    for (Object[] row : rows) {
      try {
        pending.add(
            new Pending(
                ((Number) row[0]).longValue(),
                (String) row[1],
                (String) row[2],
                JSON.readValue((String) row[3], HEADERS),
                Base64.getMimeDecoder().decode((String) row[4])));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(
            "outbox row "
                + row[0]
                + " has unreadable headers: "
                + e.getOriginalMessage()
                + " in "
                + row[3],
            e);
      }
    }
    pending.sort(Comparator.comparingLong(Pending::id));
    return pending;
  }

  private Uni<Void> markSent(List<Long> ids) {
    if (ids.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return Panache.getSession()
        .chain(
            session ->
                session
                    .createNativeQuery("UPDATE outbox SET sent_at = now() WHERE id IN (:ids)")
                    .setParameter("ids", ids)
                    .executeUpdate())
        .replaceWithVoid();
  }

  /** Frees rows that could not be sent, so the next round retries them without waiting. */
  private Uni<Void> release(List<Long> ids) {
    if (ids.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return Panache.getSession()
        .chain(
            session ->
                session
                    .createNativeQuery("UPDATE outbox SET claimed_at = NULL WHERE id IN (:ids)")
                    .setParameter("ids", ids)
                    .executeUpdate())
        .replaceWithVoid();
  }

  private synchronized KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      producer =
          new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
    }
    return producer;
  }

  /** Stops publishing before the datasource closes; what is unsent waits for the next start. */
  void onShutdown(@Observes ShutdownEvent event) {
    stopping = true;
  }

  @PreDestroy
  synchronized void close() {
    relayThread.shutdownNow();
    if (producer != null) {
      producer.close();
    }
  }
}
