package dev.tenantplane.tenantapp;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.lang.management.ManagementFactory;
import java.time.Instant;

/** The seed's health endpoint: the contract the health-monitor and operators rely on. */
@Path("/api/health")
public class HealthResource {
  private final TenantSettings settings;

  public HealthResource(TenantSettings settings) {
    this.settings = settings;
  }

  /** The seed's JSON; {@code uptime} in seconds since the process started. */
  public record HealthReport(
      String status, Instant timestamp, String customer, String environment, double uptime) {}

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public HealthReport health() {
    double uptime = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
    return new HealthReport(
        "healthy", Instant.now(), settings.customerId(), settings.environment(), uptime);
  }
}
