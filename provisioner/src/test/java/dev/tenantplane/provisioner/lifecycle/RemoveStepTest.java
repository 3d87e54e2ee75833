package dev.tenantplane.provisioner.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.naming.TenantNames;
import org.junit.jupiter.api.Test;

class RemoveStepTest {
  private final TenantNames names = new TenantNames("acme-corp");

  @Test
  void theFirstGenerationKeepsTheArchiveNameItAlwaysHad() {
    assertThat(RemoveStep.archiveBackupName(names, 1)).isEqualTo("saas_acme_corp-archive.sql");
  }

  @Test
  void eachLaterGenerationArchivesUnderANameOfItsOwn() {
    assertThat(RemoveStep.archiveBackupName(names, 2)).isEqualTo("saas_acme_corp-archive-g2.sql");
    assertThat(RemoveStep.archiveBackupName(names, 3)).isEqualTo("saas_acme_corp-archive-g3.sql");
  }
}
