package dev.tenantplane.common.naming;

/** Keys in the platform's Redis that one service writes and another reads. */
public final class PlatformRedisKeys {
  private PlatformRedisKeys() {}

  /**
   * The latest health of a customer and its job queue, as JSON, written by the health-monitor each
   * round and expiring when it stops; the gateway shows the queue in the customer's status.
   */
  public static String currentHealth(String customerId) {
    return "tenantplane:health:" + customerId;
  }
}
