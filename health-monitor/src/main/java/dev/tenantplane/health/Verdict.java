package dev.tenantplane.health;

import dev.tenantplane.common.events.Health;

/**
 * What a probe round means: HEALTHY when everything answers; DEGRADED when only the route through
 * nginx fails (the stack itself is fine); otherwise UNHEALTHY, blaming the first failing component
 * in {@link Component} order. {@code timedOut} says the blamed component did not answer in time,
 * which on a busy host is slowness rather than a crash.
 */
public record Verdict(Health health, Component component, String error, boolean timedOut) {

  public static Verdict of(ProbeReport report) {
    if (report.failures().isEmpty()) {
      return new Verdict(Health.HEALTHY, null, null, false);
    }
    for (Component component : Component.values()) {
      String error = report.failures().get(component);
      if (error != null) {
        Health health = component == Component.NGINX ? Health.DEGRADED : Health.UNHEALTHY;
        return new Verdict(health, component, error, report.timedOut().contains(component));
      }
    }
    throw new IllegalStateException("a failure without a component");
  }

  public String componentName() {
    return component == null ? null : component.wireName();
  }
}
