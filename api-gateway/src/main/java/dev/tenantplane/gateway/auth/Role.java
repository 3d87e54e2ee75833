package dev.tenantplane.gateway.auth;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a token may do: an operator reads and writes, a viewer only reads. The wire names are the
 * security roles every resource method declares ({@code @RolesAllowed}).
 */
public enum Role {
  OPERATOR(Role.OPERATOR_NAME),
  VIEWER(Role.VIEWER_NAME);

  /** For {@code @RolesAllowed}, which takes only constants; each role's wire name is its own. */
  public static final String OPERATOR_NAME = "operator";

  public static final String VIEWER_NAME = "viewer";

  private final String wireName;

  Role(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<Role> ofWireName(String name) {
    return Arrays.stream(values()).filter(r -> r.wireName().equals(name)).findFirst();
  }
}
