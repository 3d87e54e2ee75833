package dev.tenantplane.migrator.tenant;

import dev.tenantplane.common.naming.TenantNames;

/**
 * Where one customer's database is and who may migrate it. Names come from {@link TenantNames} (a
 * validated customer id); the password from the customer's opened secrets.
 */
public record TenantDatabase(TenantNames names, String host, int port, String ownerPassword) {
  public TenantDatabase {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "database port " + port + " of " + names.customerId() + " is out of range");
    }
  }

  public String customerId() {
    return names.customerId();
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + names.database();
  }

  /** For logs and step failures: says where, never who with which password. */
  public String describe() {
    return names.database() + "@" + host + ":" + port;
  }

  @Override
  public String toString() {
    return "TenantDatabase[" + describe() + "]";
  }
}
