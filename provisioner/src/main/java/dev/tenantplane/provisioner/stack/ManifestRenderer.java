package dev.tenantplane.provisioner.stack;

import dev.tenantplane.common.naming.TenantNames;

/**
 * Renders {@code CUSTOMER_MANIFEST.md}: the information block the seed's provisioning script
 * printed, word for word, so operators find what they are used to. The password stays in {@code
 * .env}.
 */
public final class ManifestRenderer {
  private ManifestRenderer() {}

  public static String render(StackPlan stack) {
    TenantNames n = stack.names();
    String folder = "customers/" + n.directory();
    StringBuilder out = new StringBuilder();
    out.append("# Customer Manifest: ").append(n.customerId()).append("\n\n");
    out.append("```\n");
    out.append("Customer Information:\n");
    line(out, "ID:", n.customerId());
    line(out, "Name:", stack.customerName());
    line(out, "Directory:", "./" + folder);
    out.append('\n');
    out.append("Port Configuration:\n");
    line(out, "Application:", "localhost:" + stack.ports().app());
    line(out, "Database:", "localhost:" + stack.ports().database());
    line(out, "Redis:", "localhost:" + stack.ports().redis());
    out.append('\n');
    out.append("Database Credentials:\n");
    line(out, "User:", n.ownerRole());
    line(out, "Database:", n.database());
    line(out, "Password:", "[See .env file]");
    out.append('\n');
    out.append("Useful Commands:\n");
    line(out, "View logs:", "cd " + folder + " && docker-compose logs -f");
    // Stopping and starting go through the platform, so that it knows the stack is stopped and
    // neither heals it back up nor routes to it; docker-compose down would remove the containers
    // behind its back.
    line(out, "Stop containers:", "deploy/tenantplane suspend " + n.customerId());
    line(out, "Restart containers:", "deploy/tenantplane resume " + n.customerId());
    line(out, "Check status:", "cd " + folder + " && docker-compose ps");
    line(
        out,
        "SSH to database:",
        "psql -h localhost -p "
            + stack.ports().database()
            + " -U "
            + n.ownerRole()
            + " -d "
            + n.database());
    out.append("```\n");
    return out.toString();
  }

  private static void line(StringBuilder out, String label, String value) {
    out.append("  ").append(String.format("%-24s", label)).append(value).append('\n');
  }
}
