package dev.tenantplane.provisioner.allocation;

import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.events.SealedEnvelope;
import dev.tenantplane.common.naming.Plan;
import dev.tenantplane.common.naming.PortPlan;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.provisioner.ProvisionerSettings;
import dev.tenantplane.provisioner.network.Subnet;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Reserves a customer's ports by the seed's rule: a requested app port fixes the offset, otherwise
 * the lowest offset in the configured range whose ports no customer holds and nothing on the host
 * listens on; and, in the same row, its network subnet (see {@link SubnetAllocator}). Choosing
 * happens before the step's transaction ({@link #candidates}, which probes the host and lists the
 * engine's networks); reserving happens inside it ({@link #reserve}), where the table's constraints
 * settle races between instances and a loser moves on to its next candidate.
 */
@ApplicationScoped
public class PortAllocator {
  /**
   * How many free offsets a request without a port brings into its transaction: enough that many
   * concurrent requests working from the same snapshot all find one, few enough to probe quickly.
   */
  static final int CANDIDATES = 20;

  private final AllocationStore store;
  private final SubnetAllocator subnets;
  private final ProvisionerSettings.Ports range;
  private final IntPredicate hostPortInUse;

  public PortAllocator(
      AllocationStore store, SubnetAllocator subnets, ProvisionerSettings settings) {
    this.store = store;
    this.subnets = subnets;
    this.range = settings.ports();
    this.hostPortInUse = HostPorts::inUse;
  }

  /** What a reservation tries, best first in each list. */
  public record Candidates(List<PortAssignment> ports, List<Subnet> subnets) {}

  /**
   * The ports to try, best first: those of the requested app port, or up to {@link #CANDIDATES} of
   * the lowest free offsets; and the lowest free subnets. Blocking: it reads the table, probes the
   * host's ports and lists the engine's networks.
   */
  public Candidates candidates(String customerId, Integer requestedPort) throws StepException {
    Set<Integer> taken = store.takenOffsets();
    List<PortAssignment> ports =
        requestedPort == null
            ? free(customerId, taken)
            : List.of(requested(customerId, requestedPort, taken));
    return new Candidates(ports, subnets.candidates(customerId, "allocate"));
  }

  /**
   * Inside the caller's transaction, inserts the customer's row with the first candidate ports and
   * subnet that no other customer holds, and yields the customer's allocation. When the customer
   * already has a row (a concurrent delivery for it won), that row is the answer, with its own
   * ports, subnet and credentials. Fails when every candidate was taken meanwhile: non-retryable
   * for a requested port, otherwise retryable, so the step looks again from a fresh snapshot.
   */
  public Uni<Allocation> reserve(
      String customerId,
      String name,
      Plan plan,
      Integer requestedPort,
      Candidates candidates,
      SealedEnvelope sealed) {
    return reserveFrom(0, 0, customerId, name, plan, requestedPort, candidates, sealed);
  }

  private Uni<Allocation> reserveFrom(
      int port,
      int subnet,
      String customerId,
      String name,
      Plan plan,
      Integer requestedPort,
      Candidates candidates,
      SealedEnvelope sealed) {
    if (port == candidates.ports().size()) {
      return Uni.createFrom()
          .failure(
              requestedPort == null
                  ? new StepException(
                      "customer "
                          + customerId
                          + ": all "
                          + candidates.ports().size()
                          + " candidate port offsets were taken meanwhile",
                      true,
                      "step=allocate customer=" + customerId)
                  : portTaken(customerId, requestedPort, "another customer holds it"));
    }
    if (subnet == candidates.subnets().size()) {
      return Uni.createFrom()
          .failure(
              new StepException(
                  "customer "
                      + customerId
                      + ": all "
                      + candidates.subnets().size()
                      + " candidate subnets were taken meanwhile",
                  true,
                  "step=allocate customer=" + customerId));
    }
    PortAssignment ports = candidates.ports().get(port);
    Subnet network = candidates.subnets().get(subnet);
    return store
        .insert(customerId, name, plan, ports, network, sealed)
        .chain(() -> store.load(customerId))
        .chain(
            row -> {
              if (row != null) {
                return Uni.createFrom().item(row);
              }
              // One insert cannot tell which constraint stopped it; only what was taken is
              // skipped, so a requested port is not refused for a subnet another customer won.
              // When neither shows (the holder was deleted meanwhile), the subnet moves on, which
              // keeps the attempts bounded.
              return store
                  .conflict(ports, network)
                  .chain(
                      c ->
                          reserveFrom(
                              c.ports() ? port + 1 : port,
                              c.subnet() || !c.ports() ? subnet + 1 : subnet,
                              customerId,
                              name,
                              plan,
                              requestedPort,
                              candidates,
                              sealed));
            });
  }

  private PortAssignment requested(String customerId, int appPort, Set<Integer> taken)
      throws StepException {
    PortAssignment ports = PortPlan.forOffset(PortPlan.offsetForRequestedPort(appPort));
    if (taken.contains(PortPlan.offsetOf(ports))) {
      throw portTaken(customerId, appPort, "another customer holds it");
    }
    for (int port : new int[] {ports.app(), ports.database(), ports.redis()}) {
      if (hostPortInUse.test(port)) {
        throw portTaken(customerId, appPort, "port " + port + " is in use on the host");
      }
    }
    return ports;
  }

  private List<PortAssignment> free(String customerId, Set<Integer> taken) throws StepException {
    List<PortAssignment> free = new ArrayList<>();
    for (int offset = range.firstOffset();
        offset <= range.lastOffset() && free.size() < CANDIDATES;
        offset++) {
      if (taken.contains(offset)) {
        continue;
      }
      PortAssignment ports = PortPlan.forOffset(offset);
      if (!hostPortInUse.test(ports.app())
          && !hostPortInUse.test(ports.database())
          && !hostPortInUse.test(ports.redis())) {
        free.add(ports);
      }
    }
    if (free.isEmpty()) {
      throw new StepException(
          "customer " + customerId + ": no free port offset left",
          false,
          "step=allocate customer="
              + customerId
              + " range="
              + range.firstOffset()
              + ".."
              + range.lastOffset());
    }
    return free;
  }

  private static StepException portTaken(String customerId, int appPort, String why) {
    return new StepException(
        "customer " + customerId + ": requested port " + appPort + " is taken: " + why,
        false,
        "step=allocate customer=" + customerId + " requested_port=" + appPort);
  }
}
