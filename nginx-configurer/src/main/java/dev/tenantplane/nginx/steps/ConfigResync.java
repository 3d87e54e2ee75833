package dev.tenantplane.nginx.steps;

import dev.tenantplane.nginx.route.RouteReconciler;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Puts the routes table back into nginx when they drifted apart: nginx recreated with an empty
 * volume, a file edited by hand, a change applied whose commit was lost. A no-op (one probe) while
 * nginx serves the table's version.
 */
@ApplicationScoped
public class ConfigResync {
  private static final Logger LOG = Logger.getLogger(ConfigResync.class);

  private final RouteReconciler routes;

  public ConfigResync(RouteReconciler routes) {
    this.routes = routes;
  }

  @Scheduled(
      every = "${tenantplane.nginx.resync-interval:30s}",
      delayed = "${tenantplane.nginx.resync-interval:30s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void resync() {
    try {
      if (routes.resync()) {
        LOG.warn("step=resync outcome=reapplied reason=\"nginx did not serve the routes table\"");
      }
    } catch (Exception e) {
      LOG.warnf("step=resync outcome=failed reason=\"%s\"", e.getMessage());
    }
  }
}
