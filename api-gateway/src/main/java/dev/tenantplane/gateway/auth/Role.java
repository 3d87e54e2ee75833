package dev.tenantplane.gateway.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a token may do: an operator reads and writes, a viewer only reads. The wire names are the
 * security roles every resource method declares ({@code @RolesAllowed}).
 */
public enum Role {
  OPERATOR,
  VIEWER;

  /** For {@code @RolesAllowed}, which takes only constants. */
  public static final String OPERATOR_NAME = "operator";

  public static final String VIEWER_NAME = "viewer";

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> ofWireName(String name) {
    return Arrays.stream(values()).filter(r -> r.wireName().equals(name)).findFirst();
  }
}
