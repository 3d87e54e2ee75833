package dev.tenantplane.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.events.Health;
import dev.tenantplane.common.naming.TenantNames;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerdictTest {
  private static final String WORKER_MISSING = "worker heartbeat missing (no beat on record)";

  @Test
  void aMissingWorkerMakesTheCustomerUnhealthyAndIsRestartedAsItsOwnContainer() {
    Verdict verdict = Verdict.of(new ProbeReport(Map.of(Component.WORKER, WORKER_MISSING)));
    assertThat(verdict.health()).isEqualTo(Health.UNHEALTHY);
    assertThat(verdict.componentName()).isEqualTo("worker");
    assertThat(verdict.error()).isEqualTo(WORKER_MISSING);
    assertThat(Component.WORKER.container(new TenantNames("acme-corp")))
        .contains("worker-acme-corp");
  }

  @Test
  void aFailingDatabaseIsBlamedBeforeTheWorker() {
    Verdict verdict =
        Verdict.of(
            new ProbeReport(
                Map.of(
                    Component.DATABASE, "Connection refused", Component.WORKER, WORKER_MISSING)));
    assertThat(verdict.health()).isEqualTo(Health.UNHEALTHY);
    assertThat(verdict.componentName()).isEqualTo("postgres");
  }

  @Test
  void aMissingWorkerIsBlamedBeforeNginxSoTheStackIsNotMerelyDegraded() {
    Verdict verdict =
        Verdict.of(
            new ProbeReport(Map.of(Component.NGINX, "HTTP 502", Component.WORKER, WORKER_MISSING)));
    assertThat(verdict.health()).isEqualTo(Health.UNHEALTHY);
    assertThat(verdict.componentName()).isEqualTo("worker");
  }
}
