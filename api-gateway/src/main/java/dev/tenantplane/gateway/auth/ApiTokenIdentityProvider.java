package dev.tenantplane.gateway.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns a presented token into the identity of its name with its role's security roles, if the
 * token exists, is not revoked and has not expired. The lookup is a non-blocking query, so no
 * worker thread waits.
 */
@ApplicationScoped
public class ApiTokenIdentityProvider implements IdentityProvider<ApiTokenRequest> {
  static final String REFUSED = "the token is unknown, revoked or expired";

  private final ApiTokens tokens;

  public ApiTokenIdentityProvider(ApiTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public Class<ApiTokenRequest> getRequestType() {
    return ApiTokenRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      ApiTokenRequest request, AuthenticationRequestContext context) {
    return tokens
        .authenticate(request.token())
        .map(
            caller ->
                caller
                    .<SecurityIdentity>map(
                        c ->
                            QuarkusSecurityIdentity.builder()
                                .setPrincipal(new QuarkusPrincipal(c.tokenName()))
                                .addRoles(c.role().securityRoles())
                                .build())
                    .orElseThrow(() -> new AuthenticationFailedException(REFUSED)));
  }
}
