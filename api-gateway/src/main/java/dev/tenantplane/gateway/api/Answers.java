package dev.tenantplane.gateway.api;

/**
 * How the OpenAPI document describes answers that several operations give for the same reason, so
 * each reads the same wherever it is declared ({@code @APIResponse}).
 */
final class Answers {
  static final String ACCEPTED = "accepted: the event is emitted; follow it by its ids";
  static final String BAD_CUSTOMER_ID = "the id breaks the customer-id rule: no customer has it";
  static final String NO_CUSTOMER = "no customer has this id";
  static final String BAD_QUERY =
      "a query parameter or header breaks its rule, is empty or is given twice; errors names it";
  static final String BAD_BODY =
      "the body is not one JSON object in UTF-8, or a field breaks its rule; errors names each";
  static final String PAGE = "one page of the list";

  private Answers() {}
}
