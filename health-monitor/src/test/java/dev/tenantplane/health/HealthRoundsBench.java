package dev.tenantplane.health;

import dev.tenantplane.common.crypto.EnvelopeSealer;
import dev.tenantplane.common.crypto.TenantSecrets;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.Health;
import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.events.RoutesPublished;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.common.testing.BenchPublisher;
import dev.tenantplane.common.testing.BenchReport;
import dev.tenantplane.common.testing.InfrastructureResource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The probe round at fleet size: the real health-monitor (one instance, production pace) on real
 * Kafka, PostgreSQL and Redis, watching {@code tenantplane.bench.customers} customers (default
 * 1000) whose stacks are the stand-ins of {@link FleetStandIn}. Not a test of the build (its name
 * keeps it out of {@code mvn verify}); {@code bench/health-rounds.sh} runs it and writes the
 * figures to BENCHMARKS.md.
 *
 * <ol>
 *   <li>Every customer's RoutesPublished on the lifecycle topic at once, as the nginx-configurer
 *       emits it; the clock runs until every customer is watched, then until every one is READY.
 *   <li>{@code tenantplane.bench.rounds} rounds (default 3) once all are ready: each round's time
 *       from its firing until every claimed customer was probed and recorded, firings skipped
 *       because a round was still running, the longest time between two probes of one customer, and
 *       the most customers in flight at once.
 *   <li>The customers' host down for {@code tenantplane.bench.outage-seconds} (default 30), then
 *       back: the time until every customer is reported healthy again, the restarts requested, and
 *       the most probes in one second afterwards against the steady rounds.
 *   <li>The resident memory of this JVM (the monitor, the stand-ins and the bench).
 * </ol>
 *
 * One line of {@code key=value} figures goes to standard output and, appended, to the file {@code
 * tenantplane.bench.out}.
 */
@QuarkusTest
@TestProfile(HealthRoundsBench.ProductionPace.class)
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres,redis"))
@QuarkusTestResource(FleetStandIn.class)
class HealthRoundsBench {
  /** The production settings where the test profile changes them for the tests' sake. */
  public static class ProductionPace implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> settings = new HashMap<>();
      settings.put("tenantplane.health.interval", "5s");
      settings.put("tenantplane.health.probe-timeout", "2s");
      settings.put("tenantplane.health.failures-before-restart", "3");
      settings.put("tenantplane.health.max-restarts", "3");
      settings.put("tenantplane.health.restart-backoff", "20s");
      String parallelism = System.getProperty("tenantplane.bench.parallelism");
      if (parallelism != null) {
        settings.put("tenantplane.health.parallelism", parallelism);
      }
      return settings;
    }
  }

  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration REPORT_EVERY = Duration.ofSeconds(30);

  /** Probes counted after the host came back, to find their busiest second. */
  private static final Duration AFTER_OUTAGE = Duration.ofSeconds(30);

  private final int customers = Integer.getInteger("tenantplane.bench.customers", 1000);
  private final int rounds = Integer.getInteger("tenantplane.bench.rounds", 3);
  private final Duration outage =
      Duration.ofSeconds(Long.getLong("tenantplane.bench.outage-seconds", 30));
  private final Duration limit =
      Duration.ofSeconds(Long.getLong("tenantplane.bench.limit-seconds", 1800));

  FleetStandIn standIn;
  @Inject EnvelopeSealer sealer;
  @Inject RoundTimes roundTimes;
  @Inject HealthSettings settings;
  @Inject MeterRegistry registry;

  @Test
  void measuresTheProbeRoundsOfAFleet() throws InterruptedException {
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("customers", customers);
    figures.put("parallelism", settings.parallelism());
    figures.put("interval", settings.interval());
    ProbeLog log = standIn.log();

    long start = System.nanoTime();
    publishRoutes(log);
    figures.put("publish_ms", millis(start, System.nanoTime()));
    awaitCount("customers watched", "active = true", start, figures, "watched_ms");
    awaitCount("customers READY", "readyReported = true", start, figures, "ready_ms");

    ProbeLog.Window steady = steadyRounds(log, figures);

    outage(log, steady, figures);
    figures.put("jvm_rss_kib", BenchReport.vmRssKib());

    BenchReport.write("health-rounds-bench", figures);
  }

  /** Every customer's routes, all naming the stand-ins' three ports, published at once. */
  private void publishRoutes(ProbeLog log) {
    SecureRandom random = new SecureRandom();
    PortAssignment ports =
        new PortAssignment(standIn.appPort(), standIn.databasePort(), standIn.redisPort());
    try (BenchPublisher publisher = new BenchPublisher()) {
      for (int i = 0; i < customers; i++) {
        String id = String.format(Locale.ROOT, "rounds-%05d", i);
        TenantSecrets secrets = TenantSecrets.generate(random);
        log.add(i, id, new TenantNames(id).appRole(), secrets.redisPassword());
        publisher.send(
            new RoutesPublished(
                EventMeta.start(id, EventMeta.FIRST_GENERATION, Clock.systemUTC()),
                id + ".localhost",
                "/" + id + "/",
                ports,
                secrets.seal(id, sealer)));
      }
      publisher.flush();
    }
  }

  /**
   * Waits for {@code rounds} rounds that start once every customer is ready (the first-readiness
   * probes are over then); their figures, and the window of probes they span.
   */
  private ProbeLog.Window steadyRounds(ProbeLog log, Map<String, Object> figures) {
    log.resetPeaks();
    long from = System.nanoTime();
    int skippedBefore = roundTimes.skipped();
    await(
        rounds + " rounds",
        () -> roundTimes.since(from).size() >= rounds,
        () -> roundTimes.since(from).size() + " of " + rounds + " rounds");
    List<RoundTimes.Round> measured = roundTimes.since(from).subList(0, rounds);
    long[] nanos = measured.stream().mapToLong(RoundTimes.Round::nanos).sorted().toArray();
    ProbeLog.Window window = log.between(measured.get(0).start(), measured.get(rounds - 1).end());
    figures.put("rounds", rounds);
    figures.put("round_p50_ms", nanos[(nanos.length - 1) / 2] / 1_000_000);
    figures.put("round_max_ms", nanos[nanos.length - 1] / 1_000_000);
    figures.put("rounds_skipped", roundTimes.skipped() - skippedBefore);
    figures.put("probes", window.probes());
    int[] perCustomer = window.probesPerCustomer();
    figures.put("probes_per_customer_min", perCustomer[0]);
    figures.put("probes_per_customer_max", perCustomer[1]);
    figures.put("longest_gap_ms", window.longestGap() / 1_000_000);
    figures.put("most_in_flight", log.mostInFlight());
    figures.put("most_db_sessions", log.mostSessions());
    figures.put("steady_probes_per_s", String.format(Locale.ROOT, "%.0f", window.perSecond()));
    figures.put("steady_peak_per_s", window.peakPerSecond());
    return window;
  }

  /**
   * The customers' host down for a while, then back: how long until all are reported healthy, how
   * many restarts were asked for, and how busy the probing got once the host was back.
   */
  private void outage(ProbeLog log, ProbeLog.Window steady, Map<String, Object> figures)
      throws InterruptedException {
    double restartsBefore = restarts();
    long down = System.nanoTime();
    standIn.hostDown(true);
    Thread.sleep(outage.toMillis());
    List<RoundTimes.Round> during = roundTimes.since(down);
    figures.put("outage_rounds", during.size());
    figures.put(
        "outage_round_max_ms",
        during.stream().mapToLong(RoundTimes.Round::nanos).max().orElse(0) / 1_000_000);
    figures.put("outage_s", outage.toSeconds());
    figures.put("unhealthy_at_return", count("health = ?1", Health.UNHEALTHY));
    log.resetPeaks();
    long back = System.nanoTime();
    standIn.hostDown(false);
    awaitCount(
        "customers healthy again", "health = ?1", back, figures, "recovered_ms", Health.HEALTHY);
    long until = back + AFTER_OUTAGE.toNanos();
    Thread.sleep(Math.max(0, (until - System.nanoTime()) / 1_000_000));
    ProbeLog.Window after = log.between(back, Math.max(until, System.nanoTime()));
    figures.put("restarts_requested", (long) (restarts() - restartsBefore));
    figures.put("after_peak_per_s", after.peakPerSecond());
    figures.put("after_probes_per_s", String.format(Locale.ROOT, "%.0f", after.perSecond()));
    figures.put("after_most_in_flight", log.mostInFlight());
    figures.put("after_most_db_sessions", log.mostSessions());
  }

  private double restarts() {
    return registry.find("tenantplane.restarts.requested").counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  /** Waits until {@code customers} watch rows match {@code where}; puts the time under key. */
  private void awaitCount(
      String what,
      String where,
      long start,
      Map<String, Object> figures,
      String key,
      Object... parameters) {
    await(
        what,
        () -> count(where, parameters) >= customers,
        () -> count(where, parameters) + " of " + customers + " " + what);
    figures.put(key, millis(start, System.nanoTime()));
  }

  private void await(String what, BooleanSupplier done, java.util.function.Supplier<String> how)
      throws RuntimeException {
    long deadline = System.nanoTime() + limit.toNanos();
    long report = System.nanoTime() + REPORT_EVERY.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not within " + limit + ": " + how.get());
      }
      if (System.nanoTime() > report) {
        report = System.nanoTime() + REPORT_EVERY.toNanos();
        System.out.println("health-rounds-bench progress: " + how.get());
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + what, e);
      }
    }
  }

  private static long count(String where, Object... parameters) {
    try {
      return VertxContextSupport.subscribeAndAwait(
          () -> Panache.withSession(() -> WatchedCustomer.count(where, parameters)));
    } catch (Throwable e) {
      throw new IllegalStateException("counting watch rows failed", e);
    }
  }

  private static long millis(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1_000_000;
  }
}
