package dev.tenantplane.gateway.auth;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * What a token may do: an admin manages the tokens and does everything an operator does, an
 * operator reads and writes, a viewer only reads. The wire names are the security roles every
 * resource method declares ({@code @RolesAllowed}).
 */
public enum Role {
  ADMIN(Role.ADMIN_NAME, Set.of(Role.ADMIN_NAME, Role.OPERATOR_NAME)),
  OPERATOR(Role.OPERATOR_NAME, Set.of(Role.OPERATOR_NAME)),
  VIEWER(Role.VIEWER_NAME, Set.of(Role.VIEWER_NAME));

  /** For {@code @RolesAllowed}, which takes only constants; each role's wire name is its own. */
  public static final String ADMIN_NAME = "admin";

  public static final String OPERATOR_NAME = "operator";

  public static final String VIEWER_NAME = "viewer";

  private final String wireName;
  private final Set<String> securityRoles;

  Role(String wireName, Set<String> securityRoles) {
    this.wireName = wireName;
    this.securityRoles = securityRoles;
  }

  public String wireName() {
    return wireName;
  }

  /**
   * The security roles a token of this role holds. An admin holds the operator's too, so each
   * method declares only the least role that may call it: the token endpoints {@code admin}, every
   * other write {@code operator}.
   */
  public Set<String> securityRoles() {
    return securityRoles;
  }

  public static Optional<Role> ofWireName(String name) {
    return Arrays.stream(values()).filter(r -> r.wireName().equals(name)).findFirst();
  }
}
