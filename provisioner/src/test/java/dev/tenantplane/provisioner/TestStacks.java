package dev.tenantplane.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import dev.tenantplane.common.events.SealedEnvelope;
import dev.tenantplane.common.naming.Plan;
import dev.tenantplane.common.naming.PortPlan;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.provisioner.allocation.Allocation;
import dev.tenantplane.provisioner.allocation.HostPorts;
import dev.tenantplane.provisioner.allocation.PortAllocator;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Customer ids, ports and clean-up for the integration tests. */
public final class TestStacks {
  private TestStacks() {}

  /** A customer id no other test (or engineer) uses. */
  public static String customerId(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** An app port in the tests' high range whose three ports are free on the host right now. */
  public static int freeRequestedPort(int fromOffset, int toOffset) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int offset = ThreadLocalRandom.current().nextInt(fromOffset, toOffset + 1);
      var ports = PortPlan.forOffset(offset);
      if (!HostPorts.inUse(ports.app())
          && !HostPorts.inUse(ports.database())
          && !HostPorts.inUse(ports.redis())) {
        return ports.app();
      }
    }
    throw new IllegalStateException("no free test port offset in " + fromOffset + ".." + toOffset);
  }

  /**
   * Allocates ports for the customer directly, as the allocate step's commit would, without any
   * event: no step runs for it.
   */
  public static Allocation allocate(
      PortAllocator allocator, String customerId, String name, SealedEnvelope sealed)
      throws Throwable {
    var candidates = allocator.candidates(customerId, null);
    return VertxContextSupport.subscribeAndAwait(
        () ->
            Panache.withTransaction(
                () -> allocator.reserve(customerId, name, Plan.SMALL, null, candidates, sealed)));
  }

  /** Removes exactly what carries {@code tenantplane.customer=<id>}, for the given ids only. */
  public static void removeEverythingLabelledFor(DockerClient docker, List<String> customerIds) {
    for (String id : customerIds) {
      Map<String, String> label = Map.of(TenantNames.CUSTOMER_LABEL, id);
      for (Container c :
          docker.listContainersCmd().withShowAll(true).withLabelFilter(label).exec()) {
        ignoreMissing(
            () ->
                docker
                    .removeContainerCmd(c.getId())
                    .withForce(true)
                    .withRemoveVolumes(true)
                    .exec());
      }
      String filter = TenantNames.CUSTOMER_LABEL + "=" + id;
      docker
          .listNetworksCmd()
          .withFilter("label", List.of(filter))
          .exec()
          .forEach(n -> ignoreMissing(() -> docker.removeNetworkCmd(n.getId()).exec()));
      var volumes =
          docker.listVolumesCmd().withFilter("label", List.of(filter)).exec().getVolumes();
      if (volumes != null) {
        volumes.forEach(v -> ignoreMissing(() -> docker.removeVolumeCmd(v.getName()).exec()));
      }
    }
  }

  /** Containers, networks and volumes labelled {@code tenantplane.customer=<id>}. */
  public static List<String> labelledFor(DockerClient docker, String customerId) {
    List<String> found = new ArrayList<>();
    for (Container c :
        docker
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Map.of(TenantNames.CUSTOMER_LABEL, customerId))
            .exec()) {
      found.add("container " + String.join(",", c.getNames()));
    }
    String filter = TenantNames.CUSTOMER_LABEL + "=" + customerId;
    docker
        .listNetworksCmd()
        .withFilter("label", List.of(filter))
        .exec()
        .forEach(n -> found.add("network " + n.getName()));
    var volumes = docker.listVolumesCmd().withFilter("label", List.of(filter)).exec().getVolumes();
    if (volumes != null) {
      volumes.forEach(v -> found.add("volume " + v.getName()));
    }
    return found;
  }

  /** The variables of a customer's {@code .env} file. */
  public static Map<String, String> readEnv(Path file) throws IOException {
    return Files.readAllLines(file).stream()
        .filter(l -> !l.startsWith("#") && l.contains("="))
        .collect(
            Collectors.toMap(
                l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1)));
  }

  /** Deletes a customer folder a test made, with everything in it; nothing when it is gone. */
  public static void deleteFolder(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /**
   * One redis-cli command inside a customer's Redis container, with the password of the container's
   * own secret file; its output (asserting it exits 0).
   */
  public static String redisCli(String container, String... command) throws Exception {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "docker",
                "exec",
                container,
                "sh",
                "-c",
                "REDISCLI_AUTH=\"$(cat \"$REDIS_PASSWORD_FILE\")\" exec redis-cli \"$@\"",
                "redis-cli"));
    argv.addAll(List.of(command));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(argv + " finished").isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private static void ignoreMissing(Runnable action) {
    try {
      action.run();
    } catch (NotFoundException e) {
      // Already gone.
    }
  }
}
