package dev.tenantplane.gateway.api;

/**
 * The rules of the query and header parameters, one copy for the code that enforces them and for
 * the OpenAPI document, which states them next to each parameter. The customer id's shape is
 * common's {@code CustomerIds}; {@code ParameterRulesTest} checks that both say the same.
 */
final class ParameterRules {
  /**
   * A customer id's shape ({@code CustomerIds}): a letter, then letters and digits in groups joined
   * by single hyphens. Its length is stated beside it; reserved names come on top.
   */
  static final String CUSTOMER_ID = "^[a-z][a-z0-9]*(-[a-z0-9]+)*$";

  /** A token's name. */
  static final String TOKEN_NAME = "^[a-z0-9][a-z0-9._-]{0,62}$";

  /** An Idempotency-Key: 1 to 200 visible ASCII characters. */
  static final String IDEMPOTENCY_KEY = "^[!-~]{1,200}$";

  static final String PAGE = "from 0 (default 0)";
  static final String SIZE = "1 to 100 (default 20)";

  private ParameterRules() {}
}
