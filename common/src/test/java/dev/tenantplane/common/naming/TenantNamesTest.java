package dev.tenantplane.common.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TenantNamesTest {
  private final TenantNames acme = new TenantNames("acme-corp");

  @Test
  void containersAndNetworkUseTheSeedNames() {
    assertThat(acme.containers())
        .containsExactly("db-acme-corp", "redis-acme-corp", "app-acme-corp", "worker-acme-corp");
    assertThat(acme.network()).isEqualTo("network-acme-corp");
    assertThat(acme.composeProject()).isEqualTo("acme-corp");
    assertThat(acme.directory()).isEqualTo("acme-corp");
  }

  @Test
  void databaseAndRolesUseUnderscores() {
    assertThat(acme.database()).isEqualTo("saas_acme_corp");
    assertThat(acme.ownerRole()).isEqualTo("customer_acme_corp");
    assertThat(acme.appRole()).isEqualTo("customer_acme_corp_app");
  }

  @Test
  void volumesAreNamedPerCustomer() {
    assertThat(acme.databaseVolume()).isEqualTo("db-data-acme-corp");
    assertThat(acme.redisVolume()).isEqualTo("redis-data-acme-corp");
  }

  @Test
  void distinctIdsNeverShareADerivedName() {
    TenantNames other = new TenantNames("acme-corp2");
    assertThat(other.database()).isNotEqualTo(acme.database());
    assertThat(other.appRole()).isNotEqualTo(acme.appRole());
  }

  @Test
  void refusesToDeriveNamesFromAnInvalidId() {
    assertThatThrownBy(() -> new TenantNames("../etc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lower-case");
  }
}
