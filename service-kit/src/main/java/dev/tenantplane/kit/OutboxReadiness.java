package dev.tenantplane.kit;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The outbox's backlog on {@code /q/health/ready}: rows pending and the age of the oldest, from
 * {@link OutboxBacklog}'s last reading (a probe never waits on the database). Down while the oldest
 * is older than {@code outbox-ready-max-age}: events of committed steps are not reaching the
 * broker.
 */
@Readiness
@ApplicationScoped
public class OutboxReadiness implements HealthCheck {
  static final String NAME = "outbox";

  private final OutboxBacklog backlog;
  private final KitSettings settings;

  public OutboxReadiness(OutboxBacklog backlog, KitSettings settings) {
    this.backlog = backlog;
    this.settings = settings;
  }

  @Override
  public HealthCheckResponse call() {
    return judge(backlog.unsent(), backlog.oldestUnsentSeconds(), settings.outboxReadyMaxAge());
  }

  static HealthCheckResponse judge(long unsent, long oldestSeconds, Duration maxAge) {
    return HealthCheckResponse.named(NAME)
        .status(oldestSeconds <= maxAge.toSeconds())
        .withData("unsent", unsent)
        .withData("oldestUnsentSeconds", oldestSeconds)
        .withData("maxAgeSeconds", maxAge.toSeconds())
        .build();
  }
}
