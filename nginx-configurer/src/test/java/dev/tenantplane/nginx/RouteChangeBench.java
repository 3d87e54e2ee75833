package dev.tenantplane.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.events.SealedEnvelope;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.nginx.apply.NginxApplier;
import dev.tenantplane.nginx.apply.NginxContainer;
import dev.tenantplane.nginx.apply.NginxRejectedException;
import dev.tenantplane.nginx.apply.NginxUnavailableException;
import dev.tenantplane.nginx.render.NginxConfigRenderer;
import dev.tenantplane.nginx.render.RenderOptions;
import dev.tenantplane.nginx.render.RenderedConfig;
import dev.tenantplane.nginx.route.Route;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What one route change costs with many routes: the real renderer and the real applier (upload,
 * {@code nginx -t}, swap, reload, probe until the new version answers) against a real nginx. Not a
 * test of the build (its name keeps it out of {@code mvn verify}); {@code bench/routes.sh} runs it
 * and writes the figures to BENCHMARKS.md. Sizes from {@code tenantplane.bench.routes} (default
 * 100), changes per size from {@code tenantplane.bench.changes} (default 5), one line per size to
 * {@code tenantplane.bench.out}.
 */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres"))
@QuarkusTestResource(NginxTestResource.class)
class RouteChangeBench {
  private static final SealedEnvelope SEALED = new SealedEnvelope("k1", "bm9uY2U=", "c2VhbGVk");

  @Inject NginxSettings settings;
  @Inject NginxApplier applier;
  @Inject NginxContainer nginx;

  @Test
  void measuresARouteChangeAtEachFleetSize() throws Exception {
    NginxConfigRenderer renderer = new NginxConfigRenderer(RenderOptions.from(settings));
    int changes = Integer.getInteger("tenantplane.bench.changes", 5);
    List<String> lines = new ArrayList<>();
    RenderedConfig live = renderer.render(List.of());
    for (String size : System.getProperty("tenantplane.bench.routes", "100").split(",")) {
      int count = Integer.parseInt(size.trim());
      List<Route> routes = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        routes.add(route(i, 0));
      }
      try {
        lines.add(measure(renderer, routes, changes, live));
      } catch (NginxUnavailableException | NginxRejectedException e) {
        lines.add("routes=" + count + " failed=" + e.getMessage().strip().replaceAll("\\s+", "_"));
        break;
      }
      live = renderer.render(routes);
    }
    lines.forEach(line -> System.out.println("route-change-bench " + line));
    String out = System.getProperty("tenantplane.bench.out");
    if (out != null) {
      Files.write(Path.of(out), lines, StandardCharsets.UTF_8);
    }
  }

  /** Loads {@code routes} after {@code live}, then changes one route at a time; one line. */
  private String measure(
      NginxConfigRenderer renderer, List<Route> routes, int changes, RenderedConfig live)
      throws Exception {
    long renderStart = System.nanoTime();
    RenderedConfig current = renderer.render(routes);
    long renderMillis = (System.nanoTime() - renderStart) / 1_000_000;
    long loadStart = System.nanoTime();
    applier.apply(current, live, List.of(renderer.hostName(routes.get(0).customerId())));
    long loadMillis = (System.nanoTime() - loadStart) / 1_000_000;
    int bytes = current.httpConf().length() + current.locations().length();
    List<String> changeMillis = new ArrayList<>();
    for (int c = 0; c < changes; c++) {
      int changed = (c * 7919) % routes.size();
      routes.set(changed, route(changed, c + 1));
      RenderedConfig next = renderer.render(routes);
      long start = System.nanoTime();
      boolean reloaded =
          applier.apply(
              next, current, List.of(renderer.hostName(routes.get(changed).customerId())));
      changeMillis.add(Long.toString((System.nanoTime() - start) / 1_000_000));
      assertThat(reloaded).as("a changed route reloads nginx").isTrue();
      current = next;
    }
    return "routes="
        + routes.size()
        + " config_bytes="
        + bytes
        + " render_ms="
        + renderMillis
        + " load_ms="
        + loadMillis
        + " change_ms="
        + String.join(",", changeMillis)
        + " "
        + NginxMemory.of(nginx);
  }

  private static Route route(int i, int version) {
    String id = String.format("bench-%05d", i);
    return new Route(
        id, new PortAssignment(3001 + (i + version) % 999, 5433, 6380), SEALED, false, false);
  }
}
