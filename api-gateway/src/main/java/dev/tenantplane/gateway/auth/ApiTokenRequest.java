package dev.tenantplane.gateway.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A bearer token presented with a request, for {@link ApiTokenIdentityProvider} to check. */
final class ApiTokenRequest extends BaseAuthenticationRequest {
  private final String token;

  ApiTokenRequest(String token) {
    this.token = token;
  }

  String token() {
    return token;
  }
}
