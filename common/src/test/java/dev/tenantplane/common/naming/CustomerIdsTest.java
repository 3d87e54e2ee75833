package dev.tenantplane.common.naming;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CustomerIdsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "acme-corp",
        "techstart",
        "enterprise",
        "a1b",
        "customer-1",
        "x-y-z",
        "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwx"
      })
  void acceptsLowerCaseDnsLabels(String id) {
    assertThat(CustomerIds.problem(id)).isEmpty();
  }

  static Stream<String> badIds() {
    return Stream.of(
        "",
        "ab",
        "a",
        "ACME",
        "Acme-corp",
        "acme-Corp",
        "1acme",
        "9-lives",
        "-acme",
        "acme-",
        "acme--corp",
        "acme_corp",
        "acme.corp",
        "acme corp",
        " acme",
        "acme ",
        "acme\n",
        "acme\ncorp",
        "acme\tcorp",
        "acme;rm -rf",
        "acme$(id)",
        "$(reboot)",
        "`id`",
        "../x",
        "..",
        "acme/corp",
        "acme\\corp",
        "acme\u0000",
        "аcme",
        "acme-соrp",
        "ａｃｍｅ",
        "acmé",
        "acme\u200bcorp",
        "acme'corp",
        "acme\"corp",
        "acme{corp}",
        "acme%20corp",
        "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxy",
        "a".repeat(64),
        "a".repeat(1000),
        "www",
        "api",
        "admin",
        "fleet",
        "localhost",
        "tenantplane");
  }

  @ParameterizedTest
  @MethodSource("badIds")
  void refusesBadIdsWithAReason(String id) {
    assertThat(CustomerIds.problem(id)).isPresent();
    assertThat(CustomerIds.isValid(id)).isFalse();
  }

  @Test
  void badIdCorpusHasAtLeastThirtyEntries() {
    assertThat(badIds().distinct().count()).isGreaterThanOrEqualTo(30);
  }

  @Test
  void nullIsRefusedAsMissing() {
    assertThat(CustomerIds.problem(null)).contains("id is required");
  }

  @Test
  void reservedNamesAreNamedInTheMessage() {
    assertThat(CustomerIds.problem("admin")).contains("id 'admin' is reserved");
    assertThat(CustomerIds.problem("nginx-health")).contains("id 'nginx-health' is reserved");
  }

  @Test
  void longestIdStillGivesRoleNamesWithinPostgresLimit() {
    String id = "a".repeat(CustomerIds.MAX_LENGTH);
    TenantNames names = new TenantNames(id);
    // Exactly at the limit: one character more would be cut by PostgreSQL.
    assertThat(names.appRole()).hasSize(63);
    assertThat(names.ownerRole()).hasSizeLessThanOrEqualTo(63);
    assertThat(names.database()).hasSizeLessThanOrEqualTo(63);
  }
}
