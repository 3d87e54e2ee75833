package dev.tenantplane.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.events.SealedEnvelope;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.nginx.route.Route;
import dev.tenantplane.nginx.route.RouteReconciler;
import dev.tenantplane.nginx.route.RouteStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What a burst of route changes costs: {@code tenantplane.bench.burst} changes of different
 * customers (default 100) handed to the real reconciler at once from {@code
 * tenantplane.bench.threads} threads (default 8, the service's step concurrency), against a real
 * nginx holding {@code tenantplane.bench.routes} routes (default 1000); then the same number of
 * changes one after another, for comparison. Counts nginx reloads. Not a test of the build (its
 * name keeps it out of {@code mvn verify}); {@code bench/route-bursts.sh} runs it and writes the
 * figures to BENCHMARKS.md.
 */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres"))
@QuarkusTestResource(NginxTestResource.class)
class RouteBurstBench {
  private static final SealedEnvelope SEALED = new SealedEnvelope("k1", "bm9uY2U=", "c2VhbGVk");

  @Inject RouteStore store;
  @Inject RouteReconciler reconciler;
  @Inject MeterRegistry metrics;

  @Test
  void measuresABurstOfRouteChangesAgainstTheSameChangesOneByOne() throws Exception {
    int burst = Integer.getInteger("tenantplane.bench.burst", 100);
    int threads = Integer.getInteger("tenantplane.bench.threads", 8);
    List<String> lines = new ArrayList<>();
    for (String size : System.getProperty("tenantplane.bench.routes", "1000").split(",")) {
      int count = Integer.parseInt(size.trim());
      BenchRoutes.replaceAll(store, IntStream.range(0, count).mapToObj(i -> route(i, 0)).toList());
      reconciler.resync();

      double reloadsBefore = reloads();
      long burstStart = System.nanoTime();
      List<Long> burstLatencies = burst(count, burst, threads, 1);
      long burstMillis = (System.nanoTime() - burstStart) / 1_000_000;
      double burstReloads = reloads() - reloadsBefore;

      reloadsBefore = reloads();
      long oneByOneStart = System.nanoTime();
      burst(count, burst, 1, 2);
      long oneByOneMillis = (System.nanoTime() - oneByOneStart) / 1_000_000;
      double oneByOneReloads = reloads() - reloadsBefore;

      lines.add(
          "routes="
              + count
              + " changes="
              + burst
              + " threads="
              + threads
              + " burst_ms="
              + burstMillis
              + " burst_reloads="
              + (long) burstReloads
              + " burst_change_p50_ms="
              + percentile(burstLatencies, 50)
              + " burst_change_p99_ms="
              + percentile(burstLatencies, 99)
              + " one_by_one_ms="
              + oneByOneMillis
              + " one_by_one_reloads="
              + (long) oneByOneReloads);
    }
    lines.forEach(line -> System.out.println("route-burst-bench " + line));
    String out = System.getProperty("tenantplane.bench.out");
    if (out != null) {
      Files.write(Path.of(out), lines, StandardCharsets.UTF_8);
    }
  }

  /**
   * Changes the first {@code changes} routes (moved to a port of {@code version}) from {@code
   * threads} threads at once; each change's latency in milliseconds.
   */
  private List<Long> burst(int routes, int changes, int threads, int version) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Long>> done = new ArrayList<>();
      for (int i = 0; i < Math.min(changes, routes); i++) {
        Route next = route(i, version);
        done.add(
            pool.submit(
                () -> {
                  long start = System.nanoTime();
                  RouteReconciler.Outcome outcome =
                      reconciler.change(next.customerId(), 1, current -> Optional.of(next));
                  assertThat(outcome.route()).contains(next);
                  return (System.nanoTime() - start) / 1_000_000;
                }));
      }
      List<Long> latencies = new ArrayList<>();
      for (Future<Long> future : done) {
        latencies.add(future.get());
      }
      return latencies;
    } finally {
      pool.shutdownNow();
    }
  }

  private double reloads() {
    return metrics.counter("tenantplane.nginx.reloads").count();
  }

  private static long percentile(List<Long> values, int p) {
    List<Long> sorted = values.stream().sorted().toList();
    int rank = Math.max(1, (int) Math.ceil(p / 100.0 * sorted.size()));
    return sorted.get(rank - 1);
  }

  private static Route route(int i, int version) {
    String id = String.format("burst-%05d", i);
    return new Route(
        id, new PortAssignment(3001 + (i + version) % 999, 5433, 6380), SEALED, false, false);
  }
}
