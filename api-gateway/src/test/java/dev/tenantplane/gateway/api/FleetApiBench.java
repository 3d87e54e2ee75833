package dev.tenantplane.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tenantplane.common.events.CustomerHealthChanged;
import dev.tenantplane.common.events.CustomerRequested;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.Health;
import dev.tenantplane.common.testing.BenchPublisher;
import dev.tenantplane.common.testing.BenchReport;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.gateway.LifecycleScript;
import dev.tenantplane.gateway.TestCustomers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The gateway at fleet size: the real gateway (projection, REST API, fleet event stream) over real
 * Kafka, PostgreSQL and Redis, with {@code tenantplane.bench.customers} customers (default 1000).
 * Not a test of the build (its name keeps it out of {@code mvn verify}); {@code bench/fleet-api.sh}
 * runs it and writes the figures to BENCHMARKS.md.
 *
 * <ol>
 *   <li>Loading: every customer's provisioning events, CustomerRequested to CustomerReady, are
 *       published on the lifecycle topic at once, as the services would emit them; the clock runs
 *       until the projection shows every customer READY.
 *   <li>A burst of {@code tenantplane.bench.burst} CustomerHealthChanged events (default 1000) of
 *       existing customers, published at once; the clock runs until the timeline holds every one.
 *   <li>Another such burst while {@code tenantplane.bench.streams} clients (default 100) follow
 *       {@code GET /api/v1/events}; the clock runs until the timeline holds every one, then until
 *       every client received every one.
 *   <li>Reads, with those clients still connected: {@code tenantplane.bench.requests} requests
 *       (default 2000) of each kind from {@code tenantplane.bench.threads} threads (default 4),
 *       after a warm-up of {@code tenantplane.bench.warmup} (default 200).
 *   <li>What it takes: the projection's tables in PostgreSQL and the resident memory of this JVM.
 * </ol>
 *
 * One line of {@code key=value} figures goes to standard output and, appended, to the file {@code
 * tenantplane.bench.out}.
 */
@QuarkusTest
@TestProfile(FleetApiBench.ProductionPace.class)
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres,redis"))
class FleetApiBench {
  /** The platform's settings where the test profile changes them for the tests' sake. */
  public static class ProductionPace implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("tenantplane.gateway.fleet-gauge-interval", "15s");
    }
  }

  /** Events per customer in the loading: CustomerRequested and the five provisioning events. */
  private static final int EVENTS_PER_CUSTOMER = 6;

  private static final int PAGE_SIZE = 50;
  private static final Duration POLL = Duration.ofMillis(250);
  private static final Duration REPORT_EVERY = Duration.ofSeconds(30);

  private final int customers = Integer.getInteger("tenantplane.bench.customers", 1000);
  private final int burst = Integer.getInteger("tenantplane.bench.burst", 1000);
  private final int streams = Integer.getInteger("tenantplane.bench.streams", 100);
  private final int requests = Integer.getInteger("tenantplane.bench.requests", 2000);
  private final int threads = Integer.getInteger("tenantplane.bench.threads", 4);
  private final int warmup = Integer.getInteger("tenantplane.bench.warmup", 200);

  /** How long the loading may take before the run fails: long enough for 10,000 on 2 cores. */
  private final Duration loadLimit =
      Duration.ofSeconds(Long.getLong("tenantplane.bench.load-limit-seconds", 3600));

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  @TestHTTPResource("/")
  URI base;

  @Inject Pool pool;

  @Test
  void measuresTheGatewayWithAFleetOfCustomers() throws Exception {
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("customers", customers);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < customers; i++) {
      ids.add(id(i));
    }
    try (BenchPublisher publisher = new BenchPublisher()) {
      load(publisher, ids, figures);
      figures.put("burst_events", burst);
      burst("quiet_burst", publisher, ids, figures);
      String viewer = Tokens.create("viewer").token();
      List<SseReader> readers = new ArrayList<>();
      try {
        for (int i = 0; i < streams; i++) {
          readers.add(SseReader.open(http, base.resolve("/api/v1/events"), viewer, Map.of()));
        }
        // Each stream takes its starting point (the newest event) on its first read, at once.
        Thread.sleep(2000);
        streamedBurst(publisher, ids, readers, figures);
        reads(ids, viewer, figures);
      } finally {
        readers.forEach(SseReader::close);
      }
    }
    footprint(figures);

    BenchReport.write("fleet-api-bench", figures);
  }

  /** Publishes every customer's provisioning at once; waits until all are READY. */
  private void load(BenchPublisher publisher, List<String> ids, Map<String, Object> figures) {
    long start = System.nanoTime();
    for (String id : ids) {
      CustomerRequested requested =
          new CustomerRequested(
              EventMeta.start(id, LifecycleScript.CLOCK),
              "Fleet customer " + id.substring(id.length() - 5),
              "small",
              null);
      publisher.send(requested);
      LifecycleScript.provisioning(requested, EVENTS_PER_CUSTOMER - 1).forEach(publisher::send);
    }
    publisher.flush();
    long published = System.nanoTime();
    awaitCount(
        "customers READY",
        "SELECT count(*) FROM customer WHERE status = 'READY'",
        customers,
        loadLimit);
    long ready = System.nanoTime();
    long events = (long) customers * EVENTS_PER_CUSTOMER;
    figures.put("events_per_customer", EVENTS_PER_CUSTOMER);
    figures.put("load_publish_ms", millis(start, published));
    figures.put("load_ready_ms", millis(start, ready));
    figures.put("load_events_per_s", perSecond(events, start, ready));
  }

  /**
   * Publishes {@code burst} health changes of existing customers at once and waits until the
   * projection applied every one. Puts the figures under {@code name}; their positions in the
   * timeline are the ids the event streams send them under.
   */
  /** A burst's start ({@link System#nanoTime}) and its events' positions in the timeline. */
  private record Burst(long start, Set<String> positions) {}

  private Burst burst(
      String name, BenchPublisher publisher, List<String> ids, Map<String, Object> figures) {
    String type = EventType.CUSTOMER_HEALTH_CHANGED.wireType();
    Row before =
        one(
            "SELECT count(*) FILTER (WHERE event_type = '"
                + type
                + "'), coalesce(max(seq), 0) FROM timeline");
    long start = System.nanoTime();
    for (int k = 0; k < burst; k++) {
      String id = ids.get((int) ((long) k * ids.size() / burst));
      Health health = k % 2 == 0 ? Health.UNHEALTHY : Health.HEALTHY;
      CustomerHealthChanged changed =
          new CustomerHealthChanged(
              EventMeta.start(id, LifecycleScript.CLOCK),
              health,
              health == Health.HEALTHY ? Health.UNHEALTHY : Health.HEALTHY,
              health == Health.HEALTHY ? null : "app",
              health == Health.HEALTHY ? null : "bench: no answer");
      publisher.send(changed);
    }
    publisher.flush();
    long published = System.nanoTime();
    awaitCount(
        name + " events projected",
        "SELECT count(*) FROM timeline WHERE event_type = '" + type + "'",
        before.getLong(0) + burst,
        Duration.ofMinutes(10));
    long projected = System.nanoTime();
    figures.put(name + "_publish_ms", millis(start, published));
    figures.put(name + "_projected_ms", millis(start, projected));
    figures.put(name + "_events_per_s", perSecond(burst, start, projected));
    Set<String> positions = new HashSet<>();
    pool.preparedQuery("SELECT seq FROM timeline WHERE event_type = $1 AND seq > $2")
        .execute(Tuple.of(type, before.getLong(1)))
        .await()
        .atMost(Duration.ofSeconds(30))
        .forEach(row -> positions.add(Long.toString(row.getLong(0))));
    return new Burst(start, positions);
  }

  /**
   * A burst while the clients follow the fleet stream: how long until every client received every
   * event of it, and how many did.
   */
  private void streamedBurst(
      BenchPublisher publisher,
      List<String> ids,
      List<SseReader> readers,
      Map<String, Object> figures) {
    String type = EventType.CUSTOMER_HEALTH_CHANGED.wireType();
    Burst sent = burst("burst", publisher, ids, figures);
    Set<String> positions = sent.positions();
    Supplier<Integer> complete =
        () -> (int) readers.stream().filter(r -> received(r, type, positions) == burst).count();
    long delivered = -1;
    try {
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(POLL)
          .until(complete::get, n -> n == readers.size());
      delivered = System.nanoTime();
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // reported as the count below
    }
    figures.put("burst_streamed_ms", delivered < 0 ? "none" : millis(sent.start(), delivered));
    figures.put("sse_clients", readers.size());
    figures.put("sse_complete", complete.get());
    figures.put(
        "sse_received_min",
        readers.stream().mapToLong(r -> received(r, type, positions)).min().orElse(0));
  }

  /** How many of the events at {@code positions} the client received (each counted once). */
  private static long received(SseReader reader, String type, Set<String> positions) {
    return reader.events().stream()
        .filter(e -> type.equals(e.name()) && positions.contains(e.id()))
        .map(SseReader.Event::id)
        .distinct()
        .count();
  }

  /** One kind of read: its name in the figures and the path of its next request. */
  private record Read(String name, Supplier<String> path, String check) {}

  private void reads(List<String> ids, String token, Map<String, Object> figures) throws Exception {
    int pages = Math.max(1, (customers + PAGE_SIZE - 1) / PAGE_SIZE);
    List<Read> kinds =
        List.of(
            new Read(
                "list",
                () ->
                    "/api/v1/customers?size="
                        + PAGE_SIZE
                        + "&page="
                        + ThreadLocalRandom.current().nextInt(pages),
                "total=" + customers),
            new Read(
                "list_status",
                () ->
                    "/api/v1/customers?status=READY&size="
                        + PAGE_SIZE
                        + "&page="
                        + ThreadLocalRandom.current().nextInt(pages),
                "total=" + customers),
            new Read(
                "list_q",
                () ->
                    "/api/v1/customers?size="
                        + PAGE_SIZE
                        + "&q="
                        + ids.get(ThreadLocalRandom.current().nextInt(ids.size()))
                            .substring(ids.get(0).length() - 5),
                "total=1"),
            new Read(
                "get",
                () ->
                    "/api/v1/customers/" + ids.get(ThreadLocalRandom.current().nextInt(ids.size())),
                "status=READY"));
    for (Read kind : kinds) {
      check(kind, token);
      measure(kind, token, warmup);
      long[] nanos = measure(kind, token, requests);
      figures.putAll(latencies(kind.name(), nanos));
    }
  }

  /** One request of {@code kind} answers as the fleet says it must. */
  private void check(Read kind, String token) throws Exception {
    HttpResponse<String> answer = get(kind.path().get(), token);
    assertThat(answer.statusCode()).as(kind.name()).isEqualTo(200);
    JsonPath json = JsonPath.from(answer.body());
    String[] expected = kind.check().split("=", 2);
    assertThat(json.getString(expected[0]))
        .as(kind.name() + " " + expected[0])
        .isEqualTo(expected[1]);
  }

  /**
   * {@code count} requests of {@code kind} from {@code threads} threads; each one's time in
   * nanoseconds, negative for an answer other than 200.
   */
  private long[] measure(Read kind, String token, int count) throws Exception {
    long[] nanos = new long[count];
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    String path = kind.path().get();
                    long start = System.nanoTime();
                    HttpResponse<String> answer = get(path, token);
                    long took = System.nanoTime() - start;
                    nanos[i] = answer.statusCode() == 200 ? took : -took;
                  }
                  return null;
                }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
    } finally {
      pool.shutdown();
      pool.awaitTermination(1, TimeUnit.MINUTES);
    }
    return nanos;
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    return http.send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/json")
            .timeout(Duration.ofSeconds(60))
            .build(),
        BodyHandlers.ofString());
  }

  private static Map<String, Object> latencies(String name, long[] nanos) {
    long failed = Arrays.stream(nanos).filter(n -> n < 0).count();
    long[] sorted = Arrays.stream(nanos).map(Math::abs).sorted().toArray();
    long total = Arrays.stream(sorted).sum();
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put(name + "_p50_ms", ms(percentile(sorted, 50)));
    figures.put(name + "_p99_ms", ms(percentile(sorted, 99)));
    figures.put(name + "_max_ms", ms(sorted[sorted.length - 1]));
    figures.put(name + "_mean_ms", ms(total / sorted.length));
    figures.put(name + "_failed", failed);
    return figures;
  }

  /** The nearest-rank percentile of sorted values. */
  private static long percentile(long[] sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  /** The projection's tables in PostgreSQL, and this JVM's resident memory. */
  private void footprint(Map<String, Object> figures) {
    Row sizes =
        one(
            "SELECT pg_total_relation_size('customer'), pg_total_relation_size('timeline'),"
                + " pg_total_relation_size('step_input'), pg_total_relation_size('inbox')");
    figures.put("pg_customer_bytes", sizes.getLong(0));
    figures.put("pg_timeline_bytes", sizes.getLong(1));
    figures.put("pg_step_input_bytes", sizes.getLong(2));
    figures.put("pg_inbox_bytes", sizes.getLong(3));
    figures.put("jvm_rss_kib", BenchReport.vmRssKib());
  }

  /** The one row {@code sql} answers. */
  private Row one(String sql) {
    return pool.query(sql).execute().await().atMost(Duration.ofSeconds(30)).iterator().next();
  }

  /**
   * Waits until {@code sql}'s count reaches {@code expected}, saying how far it got now and then.
   */
  private void awaitCount(String what, String sql, long expected, Duration limit) {
    AtomicReference<Long> lastReport = new AtomicReference<>(System.nanoTime());
    await()
        .alias(what)
        .atMost(limit)
        .pollInterval(POLL)
        .until(
            () -> {
              long count = one(sql).getLong(0);
              if (System.nanoTime() - lastReport.get() > REPORT_EVERY.toNanos()) {
                lastReport.set(System.nanoTime());
                System.out.printf("fleet-api-bench progress: %s %d of %d%n", what, count, expected);
              }
              return count;
            },
            count -> count >= expected);
  }

  private static String id(int i) {
    return String.format(Locale.ROOT, "%sfleet-%05d", TestCustomers.PREFIX, i);
  }

  private static long millis(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1_000_000;
  }

  private static String perSecond(long count, long fromNanos, long toNanos) {
    return String.format(Locale.ROOT, "%.0f", count * 1e9 / (toNanos - fromNanos));
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
  }
}
