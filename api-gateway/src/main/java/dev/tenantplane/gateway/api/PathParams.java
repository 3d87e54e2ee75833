package dev.tenantplane.gateway.api;

import dev.tenantplane.common.naming.CustomerIds;

/**
 * Checks a path parameter against the rule every stored value meets before anything looks it up: a
 * value no row can hold is refused at the edge, never sent to PostgreSQL (which refuses a NUL byte
 * outright), and never echoed, since it may hold control characters or markup.
 */
final class PathParams {
  private PathParams() {}

  /** {@code id} if it can be a customer's id; else 400 naming {@code id}. */
  static String customerId(String id) {
    CustomerIds.problem(id)
        .ifPresent(
            problem -> {
              throw new ProblemException(
                  Problem.ofField(
                      400, "Bad Request", "id", "no customer can have this id: " + problem));
            });
    return id;
  }

  /**
   * {@code name} if it can be a token's name; else 404 naming {@code name}, as for a name no token
   * has: a revocation only ever says whether such a token exists.
   */
  static String tokenName(String name) {
    if (!TokenResource.isTokenName(name)) {
      throw new ProblemException(
          Problem.ofField(
              404, "Not Found", "name", "no token can have this name: " + TokenResource.NAME_RULE));
    }
    return name;
  }
}
