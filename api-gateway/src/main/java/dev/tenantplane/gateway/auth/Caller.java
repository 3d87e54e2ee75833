package dev.tenantplane.gateway.auth;

import io.vertx.ext.web.RoutingContext;

/** The authenticated token of a request: its name (the audit actor) and its role. */
public record Caller(String tokenName, Role role) {
  private static final String KEY = "tenantplane.caller";

  void attachTo(RoutingContext request) {
    request.put(KEY, this);
  }

  /** The caller the authentication filter attached to this request. */
  public static Caller of(RoutingContext request) {
    Caller caller = request.get(KEY);
    if (caller == null) {
      throw new IllegalStateException("request reached a resource without authentication");
    }
    return caller;
  }
}
