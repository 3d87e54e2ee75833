package dev.tenantplane.common.naming;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rules a request for a new customer must meet, shared by the REST API and the CLI so both
 * refuse the same inputs with the same words. Checking the port against ports in use is the
 * allocator's job; this checks only what the request alone can tell.
 */
public final class CustomerRequestRules {
  public static final int MAX_NAME_LENGTH = 200;

  private CustomerRequestRules() {}

  /** One bad field and why. */
  public record Violation(String field, String message) {}

  /** Every problem with the request; empty when it is acceptable. */
  public static List<Violation> check(String id, String name, String plan, Integer port) {
    List<Violation> violations = new ArrayList<>();
    CustomerIds.problem(id).ifPresent(p -> violations.add(new Violation("id", p)));
    nameProblem(name).ifPresent(p -> violations.add(new Violation("name", p)));
    if (plan != null && Plan.ofWireName(plan).isEmpty()) {
      violations.add(new Violation("plan", "plan must be one of: " + Plan.wireNames()));
    }
    PortPlan.problemWithRequestedPort(port)
        .ifPresent(p -> violations.add(new Violation("port", p)));
    return List.copyOf(violations);
  }

  static Optional<String> nameProblem(String name) {
    if (name == null || name.codePoints().allMatch(CustomerRequestRules::isSpace)) {
      return Optional.of("name is required");
    }
    if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
      return Optional.of("name must be at most " + MAX_NAME_LENGTH + " characters");
    }
    if (isSpace(name.codePointAt(0)) || isSpace(name.codePointBefore(name.length()))) {
      return Optional.of("name must not start or end with white space");
    }
    boolean hasControl =
        name.codePoints()
            .anyMatch(
                c -> {
                  int type = Character.getType(c);
                  return type == Character.CONTROL
                      || type == Character.FORMAT
                      || type == Character.LINE_SEPARATOR
                      || type == Character.PARAGRAPH_SEPARATOR
                      || type == Character.SURROGATE
                      || type == Character.UNASSIGNED
                      || type == Character.PRIVATE_USE;
                });
    if (hasControl) {
      return Optional.of("name must not contain control, format or unassigned characters");
    }
    return Optional.empty();
  }

  /** White space in Unicode's sense too: {@link String#strip()} misses e.g. the no-break space. */
  private static boolean isSpace(int codePoint) {
    return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
  }
}
