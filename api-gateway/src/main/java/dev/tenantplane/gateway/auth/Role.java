package dev.tenantplane.gateway.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a token may do: an operator reads and writes, a viewer only reads. */
public enum Role {
  OPERATOR,
  VIEWER;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> ofWireName(String name) {
    return Arrays.stream(values()).filter(r -> r.wireName().equals(name)).findFirst();
  }
}
