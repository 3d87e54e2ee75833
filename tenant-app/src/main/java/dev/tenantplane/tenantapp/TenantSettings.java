package dev.tenantplane.tenantapp;

import io.smallrye.config.ConfigMapping;

/** Who this app serves; set from the customer's {@code .env} by the provisioner. */
@ConfigMapping(prefix = "tenant")
public interface TenantSettings {
  /** The customer id ({@code CUSTOMER_ID}). */
  String customerId();

  /** The deployment environment reported by {@code /api/health} ({@code NODE_ENV}). */
  String environment();
}
