package dev.tenantplane.common.naming;

import java.util.List;

/**
 * Every name derived from a customer id, as the seed guide fixed them: for {@code acme-corp} the
 * containers {@code app-acme-corp}, {@code db-acme-corp}, {@code redis-acme-corp}, {@code
 * worker-acme-corp}, the network {@code network-acme-corp}, the database {@code saas_acme_corp}
 * owned by {@code customer_acme_corp}.
 */
public record TenantNames(String customerId) {
  /** Label carried by everything the platform creates for a customer; its value is the id. */
  public static final String CUSTOMER_LABEL = "tenantplane.customer";

  public TenantNames {
    CustomerIds.require(customerId);
  }

  public String appContainer() {
    return "app-" + customerId;
  }

  public String workerContainer() {
    return "worker-" + customerId;
  }

  public String databaseContainer() {
    return "db-" + customerId;
  }

  public String redisContainer() {
    return "redis-" + customerId;
  }

  /** The four containers of the stack, in start order. */
  public List<String> containers() {
    return List.of(databaseContainer(), redisContainer(), appContainer(), workerContainer());
  }

  /**
   * The short-lived container that checks a new backup file; not part of the stack, so not in
   * {@link #containers()}.
   */
  public String backupCheckContainer() {
    return "backup-check-" + customerId;
  }

  public String network() {
    return "network-" + customerId;
  }

  public String composeProject() {
    return customerId;
  }

  public String databaseVolume() {
    return "db-data-" + customerId;
  }

  public String redisVolume() {
    return "redis-data-" + customerId;
  }

  public String database() {
    return "saas_" + sqlPart();
  }

  /** Owns the tenant database and runs its migrations. */
  public String ownerRole() {
    return "customer_" + sqlPart();
  }

  /** What the app connects as: not the owner, no BYPASSRLS, so Row-Level Security binds it. */
  public String appRole() {
    return "customer_" + sqlPart() + "_app";
  }

  /** The customer's folder, relative to the customers root. */
  public String directory() {
    return customerId;
  }

  private String sqlPart() {
    return customerId.replace('-', '_');
  }
}
