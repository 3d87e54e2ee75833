package dev.tenantplane.common.naming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.naming.CustomerRequestRules.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CustomerRequestRulesTest {

  @Test
  void acceptsTheSeedExamples() {
    assertThat(CustomerRequestRules.check("acme-corp", "ACME Corporation", null, null)).isEmpty();
    assertThat(CustomerRequestRules.check("enterprise", "Enterprise Ltd", "large", 3005)).isEmpty();
    assertThat(CustomerRequestRules.check("cafe", "Café Zürich & Söhne", "small", null)).isEmpty();
  }

  @Test
  void namesEveryBadFieldAtOnce() {
    List<Violation> violations = CustomerRequestRules.check("Bad Id", "", "gold", 80);
    assertThat(violations)
        .extracting(Violation::field)
        .containsExactlyInAnyOrder("id", "name", "plan", "port");
    assertThat(violations)
        .filteredOn(v -> v.field().equals("plan"))
        .extracting(Violation::message)
        .containsExactly("plan must be one of: small, standard, large");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        " ",
        "ACME\nCorp",
        "ACME\u0000",
        "ACME\u202eproC",
        "ACME\u2028",
        " leading",
        "trailing ",
        "\t",
        "\u00a0ACME",
        "ACME\u2003",
        "\u3000",
        "\u00a0"
      })
  void refusesNamesWithControlCharactersOrPadding(String name) {
    assertThat(CustomerRequestRules.check("acme-corp", name, null, null))
        .extracting(Violation::field)
        .containsExactly("name");
  }

  @Test
  void nameLengthCountsCharactersNotUtf16Units() {
    String twoHundredEmoji = "\uD83D\uDE00".repeat(200);
    assertThat(CustomerRequestRules.check("acme-corp", twoHundredEmoji, null, null)).isEmpty();
    assertThat(CustomerRequestRules.check("acme-corp", "x".repeat(201), null, null))
        .extracting(Violation::field)
        .containsExactly("name");
  }

  @Test
  void planNamesAreExactLowerCase() {
    assertThat(CustomerRequestRules.check("acme-corp", "ACME", "STANDARD", null))
        .extracting(Violation::field)
        .containsExactly("plan");
  }

  @Test
  void defaultPlanHasTheSeedLimits() {
    Plan plan = Plan.DEFAULT;
    assertThat(plan.wireName()).isEqualTo("standard");
    assertThat(plan.app().memoryMiB()).isEqualTo(1024);
    assertThat(plan.database().memoryMiB()).isEqualTo(512);
    assertThat(plan.redis().memoryMiB()).isEqualTo(256);
  }
}
