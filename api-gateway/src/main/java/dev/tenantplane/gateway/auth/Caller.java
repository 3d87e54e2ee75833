package dev.tenantplane.gateway.auth;

import io.quarkus.security.identity.SecurityIdentity;

/** The authenticated token of a request: its name (the audit actor) and its role. */
public record Caller(String tokenName, Role role) {

  /**
   * The caller a request's identity stands for; only for resource methods that declare their roles,
   * so the identity is an authenticated token's.
   */
  public static Caller of(SecurityIdentity identity) {
    if (identity.isAnonymous()) {
      throw new IllegalStateException("request reached a resource without authentication");
    }
    Role role =
        identity.hasRole(Role.ADMIN_NAME)
            ? Role.ADMIN
            : identity.hasRole(Role.OPERATOR_NAME) ? Role.OPERATOR : Role.VIEWER;
    return new Caller(identity.getPrincipal().getName(), role);
  }
}
