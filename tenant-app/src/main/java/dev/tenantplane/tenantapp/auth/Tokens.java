package dev.tenantplane.tenantapp.auth;

import dev.tenantplane.tenantapp.TenantAppSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotAuthorizedException;
import java.time.Clock;
import java.util.Optional;

/** Reads the organization a request acts for from its {@code Authorization: Bearer} header. */
@ApplicationScoped
public class Tokens {
  private static final String BEARER = "Bearer ";
  private final Optional<Hs256Verifier> verifier;

  public Tokens(TenantAppSettings settings) {
    this.verifier =
        settings.jwtSecret().map(secret -> new Hs256Verifier(secret, Clock.systemUTC()));
  }

  /**
   * @throws NotAuthorizedException (401) when the header holds no valid token
   */
  public OrgToken organization(String authorization) {
    if (verifier.isEmpty()) {
      throw unauthorized("this app has no JWT secret");
    }
    if (authorization == null || !authorization.startsWith(BEARER)) {
      throw unauthorized("bearer token required");
    }
    try {
      return verifier.get().verify(authorization.substring(BEARER.length()).strip());
    } catch (InvalidTokenException e) {
      throw unauthorized(e.getMessage());
    }
  }

  private static NotAuthorizedException unauthorized(String why) {
    return new NotAuthorizedException(why, "Bearer");
  }
}
