package dev.tenantplane.provisioner.allocation;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Network;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.provisioner.ProvisionerSettings;
import dev.tenantplane.provisioner.network.Subnet;
import dev.tenantplane.provisioner.network.SubnetPool;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Chooses customers' network subnets from the platform's pool: the lowest ones that no customer
 * holds and no network on the engine overlaps (a site's own, or one the table does not know). As
 * for ports, choosing happens before the transaction and the table's constraints settle races (see
 * {@link PortAllocator#reserve}). Built at start, so a pool setting that is no CIDR or cannot hold
 * a subnet of the configured size stops the service with the reason.
 */
@Startup
@ApplicationScoped
public class SubnetAllocator {
  /** As {@link PortAllocator#CANDIDATES}: enough for many concurrent requests from one snapshot. */
  static final int CANDIDATES = 20;

  private static final Logger LOG = Logger.getLogger(SubnetAllocator.class);
  private static final List<Subnet> ENGINE_DEFAULT_POOLS =
      List.of(Subnet.parse("172.16.0.0/12"), Subnet.parse("192.168.0.0/16"));

  private final AllocationStore store;
  private final DockerClient docker;
  private final SubnetPool pool;

  public SubnetAllocator(AllocationStore store, DockerClient docker, ProvisionerSettings settings) {
    this.store = store;
    this.docker = docker;
    this.pool = validated(settings.network());
  }

  /** Checks the settings as a whole; a malformed pool was already refused when read. */
  static SubnetPool validated(ProvisionerSettings.Network network) {
    SubnetPool pool;
    try {
      pool = new SubnetPool(network.pool(), network.subnetPrefix());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "invalid tenantplane.provisioner.network settings (pool="
              + network.pool()
              + ", subnet-prefix="
              + network.subnetPrefix()
              + "): "
              + e.getMessage(),
          e);
    }
    ENGINE_DEFAULT_POOLS.stream()
        .filter(pool.range()::overlaps)
        .findFirst()
        .ifPresent(
            defaults ->
                LOG.warnf(
                    "tenantplane.provisioner.network.pool=%s overlaps the Docker engine's default"
                        + " address pool %s: networks the engine numbers itself may take subnets"
                        + " customers need",
                    pool.range(), defaults));
    return pool;
  }

  public SubnetPool pool() {
    return pool;
  }

  /**
   * Up to {@link #CANDIDATES} of the pool's lowest free subnets, lowest first. Blocking: it reads
   * the table and lists the engine's networks. Fails for good when the pool has none left.
   */
  public List<Subnet> candidates(String customerId, String step) throws StepException {
    return free(pool, store.takenSubnets(), engineSubnets(customerId, step), customerId, step);
  }

  /** The lowest subnets overlapping none of the recorded ones nor the engine's networks. */
  static List<Subnet> free(
      SubnetPool pool, List<Subnet> recorded, List<Subnet> onEngine, String customerId, String step)
      throws StepException {
    List<Subnet> taken = new ArrayList<>(recorded);
    taken.addAll(onEngine);
    List<Subnet> free = pool.lowestFree(taken, CANDIDATES);
    if (free.isEmpty()) {
      throw new StepException(
          "customer "
              + customerId
              + ": no free subnet left in the network pool "
              + pool.range()
              + " ("
              + pool.count()
              + " subnets of /"
              + pool.prefix()
              + ")",
          false,
          "step="
              + step
              + " customer="
              + customerId
              + " pool="
              + pool.range()
              + " subnet_prefix="
              + pool.prefix()
              + " recorded="
              + recorded.size()
              + " engine_networks="
              + onEngine.size());
    }
    return free;
  }

  /**
   * The subnet recorded with the customer's allocation. An allocation made before subnets were
   * recorded gets one now, in a short transaction of its own before anything is built on the
   * engine, so that its network is created with it.
   */
  public Subnet subnetOf(Allocation allocation, String step) throws StepException {
    Subnet recorded = allocation.subnetOrNull();
    if (recorded != null) {
      return recorded;
    }
    String id = allocation.customerId;
    for (Subnet candidate : candidates(id, step)) {
      Optional<Allocation> row;
      try {
        store.recordMissingSubnet(id, candidate);
        row = store.find(id);
      } catch (IllegalStateException e) {
        throw new StepException(
            "customer " + id + ": cannot record a subnet: " + e.getMessage(),
            true,
            "step=" + step + " customer=" + id + " subnet=" + candidate,
            e);
      }
      if (row.isEmpty()) {
        throw new StepException(
            "customer " + id + ": no allocation (deprovisioned?), no subnet to record",
            false,
            "step=" + step + " customer=" + id + " allocation=missing");
      }
      Subnet now = row.get().subnetOrNull();
      if (now != null) {
        LOG.infof("customer=%s step=%s action=subnet-recorded subnet=%s", id, step, now);
        return now;
      }
    }
    throw new StepException(
        "customer " + id + ": all candidate subnets were taken meanwhile",
        true,
        "step=" + step + " customer=" + id + " pool=" + pool.range());
  }

  private List<Subnet> engineSubnets(String customerId, String step) throws StepException {
    List<Network> networks;
    try {
      networks = docker.listNetworksCmd().exec();
    } catch (RuntimeException e) {
      throw new StepException(
          "customer " + customerId + ": cannot list the engine's networks: " + e.getMessage(),
          true,
          "step=" + step + " customer=" + customerId + " action=list networks",
          e);
    }
    List<Subnet> subnets = new ArrayList<>();
    for (Network network : networks) {
      if (network.getIpam() == null || network.getIpam().getConfig() == null) {
        continue;
      }
      for (Network.Ipam.Config config : network.getIpam().getConfig()) {
        Subnet subnet = Subnet.parseOrNull(config.getSubnet());
        if (subnet != null) {
          subnets.add(subnet);
        }
      }
    }
    return subnets;
  }
}
