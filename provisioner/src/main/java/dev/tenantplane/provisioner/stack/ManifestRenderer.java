package dev.tenantplane.provisioner.stack;

import dev.tenantplane.common.naming.CustomerBlock;

/**
 * Renders {@code CUSTOMER_MANIFEST.md}: the seed's information block ({@link CustomerBlock}, the
 * same the CLI prints) under a heading.
 */
public final class ManifestRenderer {
  private ManifestRenderer() {}

  public static String render(StackPlan stack) {
    String id = stack.names().customerId();
    return "# Customer Manifest: "
        + id
        + "\n\n```\n"
        + CustomerBlock.render(id, stack.customerName(), stack.ports())
        + "```\n";
  }
}
