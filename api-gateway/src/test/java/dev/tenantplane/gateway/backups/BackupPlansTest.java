package dev.tenantplane.gateway.backups;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantplane.gateway.GatewaySettings.PlanPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackupPlansTest {
  @Test
  void aPolicyForAKnownPlanWithAPositivePeriodAndKeepIsAccepted() {
    assertThatCode(() -> BackupPlans.check("small", policy(Duration.ofHours(24), 7)))
        .doesNotThrowAnyException();
  }

  @Test
  void aPolicyForAPlanThatDoesNotExistStopsTheStartNamingThePlans() {
    assertThatThrownBy(() -> BackupPlans.check("tiny", policy(Duration.ofHours(24), 7)))
        .hasMessageContaining("tenantplane.gateway.backups.plan.tiny")
        .hasMessageContaining("small, standard, large");
  }

  @Test
  void keepingNoBackupOrANonPositivePeriodIsRefused() {
    assertThatThrownBy(() -> BackupPlans.check("small", policy(Duration.ofHours(24), 0)))
        .hasMessageContaining("keep must be at least 1");
    assertThatThrownBy(() -> BackupPlans.check("large", policy(Duration.ZERO, 3)))
        .hasMessageContaining("every must be positive");
  }

  private static PlanPolicy policy(Duration every, int keep) {
    return new PlanPolicy() {
      @Override
      public Duration every() {
        return every;
      }

      @Override
      public int keep() {
        return keep;
      }
    };
  }
}
