package dev.tenantplane.nginx.route;

import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.events.SealedEnvelope;
import dev.tenantplane.common.naming.CustomerIds;
import java.util.Optional;

/**
 * One customer's route: where nginx sends its traffic, and whether it is paused (served a 503)
 * because the customer is suspended or being restored. The sealed credentials ride along,
 * ciphertext only, so a resume can publish the route again.
 */
public record Route(
    String customerId,
    PortAssignment ports,
    SealedEnvelope credentials,
    boolean suspended,
    boolean restoring) {

  public static final int MIN_PORT = 1;
  public static final int MAX_PORT = 65535;

  public Route {
    problem(customerId, ports)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException(p);
            });
  }

  /** Why a customer id and ports cannot be routed, or empty when they can. */
  public static Optional<String> problem(String customerId, PortAssignment ports) {
    Optional<String> idProblem = CustomerIds.problem(customerId);
    if (idProblem.isPresent()) {
      return idProblem.map(p -> "invalid customer id: " + p);
    }
    if (ports == null) {
      return Optional.of("ports are required");
    }
    for (int port : new int[] {ports.app(), ports.database(), ports.redis()}) {
      if (port < MIN_PORT || port > MAX_PORT) {
        return Optional.of(
            "port " + port + " is outside " + MIN_PORT + ".." + MAX_PORT + " for " + customerId);
      }
    }
    return Optional.empty();
  }

  public Route withSuspended(boolean value) {
    return new Route(customerId, ports, credentials, value, restoring);
  }

  public Route withRestoring(boolean value) {
    return new Route(customerId, ports, credentials, suspended, value);
  }

  /** Whether nginx answers 503 instead of passing the traffic on. */
  public boolean paused() {
    return suspended || restoring;
  }
}
