package dev.tenantplane.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.naming.CustomerIds;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ParameterRulesTest {
  private static final Pattern CUSTOMER_ID = Pattern.compile(ParameterRules.CUSTOMER_ID);

  /** Ids of an allowed length and not reserved: there the document's pattern is the whole rule. */
  static final List<String> ID_SAMPLES =
      List.of(
          "acme-corp",
          "a1b",
          "abc",
          "a-b-c",
          "x9-9",
          "1abc",
          "-abc",
          "abc-",
          "Abc",
          "ab_c",
          "ab c",
          "ab.c",
          "abç",
          "ab--c",
          "abc1");

  @Test
  void theDocumentedCustomerIdShapeIsCommonsRule() {
    for (String id : ID_SAMPLES) {
      assertThat(CUSTOMER_ID.matcher(id).matches()).as(id).isEqualTo(CustomerIds.isValid(id));
    }
  }
}
