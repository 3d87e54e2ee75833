package dev.tenantplane.gateway.api;

import dev.tenantplane.gateway.GatewaySettings;
import dev.tenantplane.gateway.auth.TokenLifetimes;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import io.smallrye.config.SmallRyeConfig;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;

/**
 * Puts the token request's schema into the OpenAPI document at start. The rest of the document is
 * built at build time, but the lifetimes it states are run-time settings, so they are read here,
 * where the served document gets the values the token endpoint checks with.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.RUNTIME_STARTUP)
public class TokenRequestSchema implements OASFilter {
  @Override
  public void filterOpenAPI(OpenAPI openAPI) {
    GatewaySettings settings =
        ConfigProvider.getConfig()
            .unwrap(SmallRyeConfig.class)
            .getConfigMapping(GatewaySettings.class);
    openAPI
        .getComponents()
        .addSchema(
            RequestBodySchemas.TOKEN,
            RequestBodySchemas.token(TokenLifetimes.of(settings.tokens())));
  }
}
