package dev.tenantplane.gateway.api;

import dev.tenantplane.common.naming.CustomerRequestRules;
import dev.tenantplane.common.naming.Plan;
import dev.tenantplane.gateway.GatewaySettings;
import dev.tenantplane.gateway.customers.CustomerCommands.NewCustomer;
import dev.tenantplane.gateway.customers.CustomerQueries;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Turns a {@code POST /customers} body into a valid request or a 400 naming every bad field. The
 * rules are common's {@link CustomerRequestRules}, shared with the CLI; the gateway adds that the
 * port must not be held by another customer.
 */
@ApplicationScoped
public class CustomerRequestReader {
  static final Set<String> FIELDS = Set.of("id", "name", "plan", "port");

  private final CustomerQueries queries;
  private final GatewaySettings settings;

  public CustomerRequestReader(CustomerQueries queries, GatewaySettings settings) {
    this.queries = queries;
    this.settings = settings;
  }

  /** The request in {@code body}, sent as {@code contentType}. */
  public NewCustomer read(String contentType, byte[] body) {
    JsonBody json = JsonBody.parse(contentType, body, settings.maxBodyBytes(), FIELDS, false);
    String id = json.text("id").orElse(null);
    String name = json.text("name").orElse(null);
    String plan = json.text("plan").orElse(null);
    Integer port = json.integer("port").orElse(null);
    for (CustomerRequestRules.Violation violation :
        CustomerRequestRules.check(id, name, plan, port)) {
      if (!json.rejected(violation.field())) {
        json.reject(violation.field(), violation.message());
      }
    }
    if (port != null && !json.rejected("port")) {
      queries
          .portHolder(port)
          .ifPresent(
              holder -> json.reject("port", "port " + port + " is held by another customer"));
    }
    json.requireValid();
    return new NewCustomer(id, name, plan == null ? Plan.DEFAULT.wireName() : plan, port);
  }
}
