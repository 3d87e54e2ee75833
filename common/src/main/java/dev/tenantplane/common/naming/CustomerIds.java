package dev.tenantplane.common.naming;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The customer id rule. An id is a lower-case DNS label because it becomes a host name ({@code
 * <id>.<base-domain>}), a URL path segment, container and network names and, with hyphens turned
 * into underscores, PostgreSQL identifiers.
 */
public final class CustomerIds {
  /**
   * Longest id: the app role {@code customer_<id>_app} must fit PostgreSQL's 63-byte identifier
   * limit (longer names are truncated silently, so two customers could share a role).
   */
  public static final int MAX_LENGTH =
      63 - 9 - 4; // "customer_" and "_app": a constant, for the API's annotations

  public static final int MIN_LENGTH = 3;

  /** The id of fleet-wide events; reserved so no customer can take it. */
  public static final String FLEET = "fleet";

  private static final Pattern PATTERN = Pattern.compile("[a-z][a-z0-9-]*[a-z0-9]");

  private static final Set<String> RESERVED =
      Set.of(
          "www",
          "api",
          "admin",
          "administrator",
          "root",
          "app",
          "apps",
          "www-data",
          "mail",
          "smtp",
          "ftp",
          "ssh",
          "dns",
          "ns1",
          "ns2",
          "localhost",
          "tenantplane",
          "platform",
          "nginx",
          // The platform nginx's own health location (/nginx-health): a route of that name would
          // be a second location with the same path, which nginx refuses.
          "nginx-health",
          "kafka",
          "postgres",
          "postgresql",
          "redis",
          "gateway",
          "provisioner",
          "migrator",
          "health",
          "metrics",
          "status",
          "static",
          "assets",
          "default",
          "system",
          "internal",
          "public",
          "customers",
          "customer",
          "dashboard",
          "console",
          "support",
          "docs",
          "help",
          "billing",
          "auth",
          "login",
          "test",
          FLEET);

  private CustomerIds() {}

  /** Why {@code id} is not a valid customer id, or empty when it is. */
  public static Optional<String> problem(String id) {
    if (id == null || id.isEmpty()) {
      return Optional.of("id is required");
    }
    if (id.length() < MIN_LENGTH || id.length() > MAX_LENGTH) {
      return Optional.of("id must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters long");
    }
    if (!PATTERN.matcher(id).matches()) {
      return Optional.of(
          "id must be lower-case ASCII letters, digits and hyphens, start with a letter and"
              + " end with a letter or digit");
    }
    if (id.contains("--")) {
      return Optional.of("id must not contain '--'");
    }
    if (RESERVED.contains(id)) {
      return Optional.of("id '" + id + "' is reserved");
    }
    return Optional.empty();
  }

  public static boolean isValid(String id) {
    return problem(id).isEmpty();
  }

  /**
   * Returns {@code id} if valid.
   *
   * @throws IllegalArgumentException naming the problem otherwise
   */
  public static String require(String id) {
    problem(id)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException(p);
            });
    return id;
  }
}
