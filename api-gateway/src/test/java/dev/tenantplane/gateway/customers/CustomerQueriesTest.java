package dev.tenantplane.gateway.customers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CustomerQueriesTest {
  @Test
  void searchPatternIsLowerCaseWithItsWildcardsAndEscapeTakenLiterally() {
    assertThat(CustomerQueries.containing("AcMe")).isEqualTo("%acme%");
    assertThat(CustomerQueries.containing("50%_off\\x")).isEqualTo("%50\\%\\_off\\\\x%");
    assertThat(CustomerQueries.containing("İ")).isEqualTo("%i\u0307%");
  }
}
