package dev.tenantplane.gateway.backups;

import dev.tenantplane.common.naming.Plan;
import dev.tenantplane.gateway.GatewaySettings;
import dev.tenantplane.gateway.GatewaySettings.PlanPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Each plan's backup schedule and retention, checked at start: a policy for a plan that does not
 * exist, a keep below one or a period that is not positive stops the gateway rather than backing up
 * never or too often.
 */
@ApplicationScoped
public class BackupPlans {
  private final Map<String, PlanPolicy> policies;

  public BackupPlans(GatewaySettings settings) {
    this.policies = new TreeMap<>(settings.backups().plan());
    policies.forEach(BackupPlans::check);
  }

  /** The plans that have a schedule, by wire name. */
  public Map<String, PlanPolicy> scheduled() {
    return policies;
  }

  /** The policy of the plan named {@code plan}; empty for one backed up only on demand. */
  public Optional<PlanPolicy> of(String plan) {
    return Optional.ofNullable(policies.get(plan));
  }

  static void check(String plan, PlanPolicy policy) {
    String where = "tenantplane.gateway.backups.plan." + plan;
    if (Plan.ofWireName(plan).isEmpty()) {
      throw new IllegalStateException(
          where + ": no plan " + plan + " (plans: " + Plan.wireNames() + ")");
    }
    if (policy.keep() < 1) {
      throw new IllegalStateException(where + ".keep must be at least 1, not " + policy.keep());
    }
    if (policy.every().isNegative() || policy.every().isZero()) {
      throw new IllegalStateException(where + ".every must be positive, not " + policy.every());
    }
  }
}
