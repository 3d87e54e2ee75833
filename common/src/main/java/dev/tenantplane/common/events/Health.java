package dev.tenantplane.common.events;

/** Health of a customer's stack as judged by the health-monitor; names match the app's JSON. */
public enum Health {
  HEALTHY,
  DEGRADED,
  UNHEALTHY
}
