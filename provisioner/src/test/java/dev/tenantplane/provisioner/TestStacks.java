package dev.tenantplane.provisioner;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

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

  private static void ignoreMissing(Runnable action) {
    try {
      action.run();
    } catch (NotFoundException e) {
      // Already gone.
    }
  }
}
