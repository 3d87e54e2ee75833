package dev.tenantplane.provisioner.stack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ManifestRendererTest {

  @Test
  void repeatsTheSeedsInformationBlockWithStopAndRestartThroughThePlatform() {
    String seedBlock =
        """
        Customer Information:
          ID:                     acme-corp
          Name:                   ACME Corporation
          Directory:              ./customers/acme-corp

        Port Configuration:
          Application:            localhost:3001
          Database:               localhost:5433
          Redis:                  localhost:6380

        Database Credentials:
          User:                   customer_acme_corp
          Database:               saas_acme_corp
          Password:               [See .env file]

        Useful Commands:
          View logs:              cd customers/acme-corp && docker-compose logs -f
          Stop containers:        deploy/tenantplane suspend acme-corp
          Restart containers:     deploy/tenantplane resume acme-corp
          Check status:           cd customers/acme-corp && docker-compose ps
          SSH to database:        psql -h localhost -p 5433 -U customer_acme_corp -d saas_acme_corp
        """;

    String manifest = ManifestRenderer.render(StackFixtures.acme());

    assertThat(manifest).startsWith("# Customer Manifest: acme-corp\n\n```\n");
    assertThat(manifest).contains(seedBlock).endsWith(seedBlock + "```\n");
  }
}
