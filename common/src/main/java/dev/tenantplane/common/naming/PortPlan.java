package dev.tenantplane.common.naming;

import dev.tenantplane.common.events.PortAssignment;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * Port math of the seed guide: the customer at offset k gets app 3000+k, database 5432+k, Redis
 * 6379+k (3001, 5433, 6380 for the first). {@code --port P} means offset P-3000 for all three, so
 * 3005 gives 5437 and 6384. (The seed's own example says 5438/6385, which contradicts its first
 * rule; the rule wins.)
 */
public final class PortPlan {
  public static final int APP_BASE = 3000;
  public static final int DATABASE_BASE = 5432;
  public static final int REDIS_BASE = 6379;
  public static final int MIN_OFFSET = 1;
  public static final int MAX_OFFSET = 999;

  private PortPlan() {}

  public static PortAssignment forOffset(int offset) {
    if (offset < MIN_OFFSET || offset > MAX_OFFSET) {
      throw new IllegalArgumentException(
          "port offset must be " + MIN_OFFSET + " to " + MAX_OFFSET + ", was " + offset);
    }
    return new PortAssignment(APP_BASE + offset, DATABASE_BASE + offset, REDIS_BASE + offset);
  }

  public static int offsetOf(PortAssignment ports) {
    return ports.app() - APP_BASE;
  }

  /** Why {@code appPort} cannot be asked for with {@code --port}, or empty when it can. */
  public static Optional<String> problemWithRequestedPort(Integer appPort) {
    if (appPort == null) {
      return Optional.empty();
    }
    if (appPort < APP_BASE + MIN_OFFSET || appPort > APP_BASE + MAX_OFFSET) {
      return Optional.of(
          "port must be " + (APP_BASE + MIN_OFFSET) + " to " + (APP_BASE + MAX_OFFSET));
    }
    return Optional.empty();
  }

  /** The offset asked for with {@code --port P}. */
  public static int offsetForRequestedPort(int appPort) {
    problemWithRequestedPort(appPort)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException(p);
            });
    return appPort - APP_BASE;
  }

  /**
   * The lowest offset whose three ports are all usable, skipping offsets held by another customer
   * and ports already in use on the host.
   *
   * @param offsetTaken whether another customer holds the offset
   * @param hostPortInUse whether something on the host listens on the port
   */
  public static Optional<PortAssignment> firstFree(
      IntPredicate offsetTaken, IntPredicate hostPortInUse) {
    for (int offset = MIN_OFFSET; offset <= MAX_OFFSET; offset++) {
      if (offsetTaken.test(offset)) {
        continue;
      }
      PortAssignment ports = forOffset(offset);
      if (!hostPortInUse.test(ports.app())
          && !hostPortInUse.test(ports.database())
          && !hostPortInUse.test(ports.redis())) {
        return Optional.of(ports);
      }
    }
    return Optional.empty();
  }
}
