package dev.tenantplane.provisioner.allocation;

import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.events.SealedEnvelope;
import dev.tenantplane.common.naming.Plan;
import dev.tenantplane.common.naming.PortPlan;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.provisioner.ProvisionerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Reserves a customer's ports by the seed's rule: a requested app port fixes the offset, otherwise
 * the lowest offset in the configured range whose ports no customer holds and nothing on the host
 * listens on. The database's unique constraints settle races between instances; a loser looks
 * again.
 */
@ApplicationScoped
public class PortAllocator {
  /** How often a request without a port may lose a race before the step is retried later. */
  private static final int MAX_RACES = 20;

  private final AllocationStore store;
  private final ProvisionerSettings.Ports range;
  private final IntPredicate hostPortInUse;

  public PortAllocator(AllocationStore store, ProvisionerSettings settings) {
    this.store = store;
    this.range = settings.ports();
    this.hostPortInUse = HostPorts::inUse;
  }

  /**
   * The customer's allocation: the existing one if there is one (same ports, same sealed
   * credentials), otherwise a new one holding {@code sealed}.
   */
  public Allocation allocate(
      String customerId, String name, Plan plan, Integer requestedPort, SealedEnvelope sealed)
      throws StepException {
    for (int race = 0; race < MAX_RACES; race++) {
      var existing = store.find(customerId);
      if (existing.isPresent()) {
        return existing.get();
      }
      PortAssignment ports =
          requestedPort == null
              ? firstFree(customerId, store.takenOffsets())
              : requested(customerId, requestedPort);
      if (store.reserve(customerId, name, plan, ports, sealed)) {
        return store.find(customerId).orElseThrow();
      }
      if (requestedPort != null && store.find(customerId).isEmpty()) {
        throw portTaken(customerId, requestedPort, "another customer holds it");
      }
    }
    throw new StepException(
        "customer " + customerId + ": lost " + MAX_RACES + " races for free ports",
        true,
        "step=allocate customer=" + customerId);
  }

  private PortAssignment requested(String customerId, int appPort) throws StepException {
    PortAssignment ports = PortPlan.forOffset(PortPlan.offsetForRequestedPort(appPort));
    if (store.takenOffsets().contains(PortPlan.offsetOf(ports))) {
      throw portTaken(customerId, appPort, "another customer holds it");
    }
    for (int port : new int[] {ports.app(), ports.database(), ports.redis()}) {
      if (hostPortInUse.test(port)) {
        throw portTaken(customerId, appPort, "port " + port + " is in use on the host");
      }
    }
    return ports;
  }

  private PortAssignment firstFree(String customerId, Set<Integer> taken) throws StepException {
    for (int offset = range.firstOffset(); offset <= range.lastOffset(); offset++) {
      if (taken.contains(offset)) {
        continue;
      }
      PortAssignment ports = PortPlan.forOffset(offset);
      if (!hostPortInUse.test(ports.app())
          && !hostPortInUse.test(ports.database())
          && !hostPortInUse.test(ports.redis())) {
        return ports;
      }
    }
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

  private static StepException portTaken(String customerId, int appPort, String why) {
    return new StepException(
        "customer " + customerId + ": requested port " + appPort + " is taken: " + why,
        false,
        "step=allocate customer=" + customerId + " requested_port=" + appPort);
  }
}
