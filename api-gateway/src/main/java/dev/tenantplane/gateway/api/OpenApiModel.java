package dev.tenantplane.gateway.api;

import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASModelReader;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.tags.Tag;

/**
 * What the OpenAPI document holds before the resources' annotations are read: the tags, described
 * once here in the order a reader meets them (the resources name them), and the request bodies'
 * schemas, which are built from the rules rather than from a Java type ({@link
 * RequestBodySchemas}).
 */
public class OpenApiModel implements OASModelReader {
  @Override
  public OpenAPI buildModel() {
    return OASFactory.createOpenAPI()
        .tags(
            List.of(
                tag(
                    "customers",
                    "Request, list, inspect, follow, retry, suspend, resume and"
                        + " deprovision customers."),
                tag("backups", "A customer's backups, and restoring it from one."),
                tag(
                    "fleet",
                    "Fleet-wide schema migrations, and every customer's lifecycle events"
                        + " as one stream."),
                tag("dead-letters", "Records the services gave up on, and replaying one."),
                tag("audit", "Every write made through the API: who asked for what, and when."),
                tag("tokens", "API tokens: create, list and revoke them; which token is calling."),
                tag("health", "The gateway's own health; open to everyone.")))
        .components(OASFactory.createComponents().schemas(RequestBodySchemas.all()));
  }

  private static Tag tag(String name, String description) {
    return OASFactory.createTag().name(name).description(description);
  }
}
