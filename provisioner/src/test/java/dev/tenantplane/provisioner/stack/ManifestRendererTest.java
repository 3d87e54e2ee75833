package dev.tenantplane.provisioner.stack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ManifestRendererTest {

  @Test
  void isTheSeedsInformationBlockOfTheStackUnderAHeading() {
    String manifest = ManifestRenderer.render(StackFixtures.acme());

    assertThat(manifest)
        .startsWith("# Customer Manifest: acme-corp\n\n```\nCustomer Information:\n")
        .contains("  Name:                   ACME Corporation\n")
        .contains("  Application:            localhost:3001\n")
        .endsWith(
            "  SSH to database:        psql -h localhost -p 5433 -U customer_acme_corp"
                + " -d saas_acme_corp\n```\n");
  }
}
