package dev.tenantplane.common.naming;

import dev.tenantplane.common.events.PortAssignment;

/**
 * The information block the seed's provisioning script printed for a customer, word for word, so
 * operators find what they are used to: written into the customer's {@code CUSTOMER_MANIFEST.md}
 * and printed by the CLI once a customer is READY. The password stays in {@code .env}.
 */
public final class CustomerBlock {
  private CustomerBlock() {}

  /** The block, from "Customer Information:" to the psql line, each line ending in a newline. */
  public static String render(String customerId, String customerName, PortAssignment ports) {
    TenantNames n = new TenantNames(customerId);
    String folder = "customers/" + n.directory();
    StringBuilder out = new StringBuilder();
    out.append("Customer Information:\n");
    line(out, "ID:", n.customerId());
    line(out, "Name:", customerName);
    line(out, "Directory:", "./" + folder);
    out.append('\n');
    out.append("Port Configuration:\n");
    line(out, "Application:", "localhost:" + ports.app());
    line(out, "Database:", "localhost:" + ports.database());
    line(out, "Redis:", "localhost:" + ports.redis());
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
            + ports.database()
            + " -U "
            + n.ownerRole()
            + " -d "
            + n.database());
    return out.toString();
  }

  private static void line(StringBuilder out, String label, String value) {
    out.append("  ").append(String.format("%-24s", label)).append(value).append('\n');
  }
}
