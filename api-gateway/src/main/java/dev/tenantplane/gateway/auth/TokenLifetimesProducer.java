package dev.tenantplane.gateway.auth;

import dev.tenantplane.gateway.GatewaySettings;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Reads the token lifetimes once, at start, so settings that break their rule stop the start. */
@ApplicationScoped
class TokenLifetimesProducer {
  @Produces
  @Singleton
  @Startup
  TokenLifetimes lifetimes(GatewaySettings settings) {
    return TokenLifetimes.of(settings.tokens());
  }
}
