package dev.tenantplane.common.naming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.events.PortAssignment;
import org.junit.jupiter.api.Test;

class CustomerBlockTest {

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

    String block =
        CustomerBlock.render("acme-corp", "ACME Corporation", new PortAssignment(3001, 5433, 6380));

    assertThat(block).isEqualTo(seedBlock);
  }
}
