package dev.tenantplane.gateway.api;

import dev.tenantplane.common.naming.CustomerIds;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;

/**
 * Query parameters and headers exactly as sent. An empty value is a value, and judged as one,
 * rather than read as "not given"; a parameter or header given twice is refused, since two readers
 * could each take a different one.
 */
final class RequestParams {
  static final int MAX_PAGE_SIZE = 100;
  static final int MAX_SEARCH_LENGTH = 100;

  private RequestParams() {}

  /**
   * The value of query parameter {@code name}; empty when absent or rejected into {@code errors}.
   */
  static Optional<String> query(RoutingContext routing, String name, FieldErrors errors) {
    return single(routing.queryParams().getAll(name), name, errors);
  }

  /** The value of header {@code name}; empty when absent or rejected into {@code errors}. */
  static Optional<String> header(RoutingContext routing, String name, FieldErrors errors) {
    return single(routing.request().headers().getAll(name), name, errors);
  }

  /**
   * Query parameter {@code name} holding a customer id, or with {@code fleetToo} the fleet's id:
   * empty when absent, or rejected into {@code errors} when no customer can have it.
   */
  static Optional<String> customerId(
      RoutingContext routing, String name, boolean fleetToo, FieldErrors errors) {
    Optional<String> id = query(routing, name, errors);
    Optional<String> problem =
        id.filter(given -> !(fleetToo && given.equals(CustomerIds.FLEET)))
            .flatMap(CustomerIds::problem);
    problem.ifPresent(p -> errors.reject(name, "no customer can have this id: " + p));
    return problem.isPresent() ? Optional.empty() : id;
  }

  /**
   * Query parameter {@code name} holding text to search for: 1 to {@value #MAX_SEARCH_LENGTH}
   * characters, none of them a control character; empty when absent or rejected into {@code
   * errors}.
   */
  static Optional<String> search(RoutingContext routing, String name, FieldErrors errors) {
    Optional<String> text = query(routing, name, errors);
    if (text.isPresent()
        && (text.get().isEmpty()
            || text.get().codePointCount(0, text.get().length()) > MAX_SEARCH_LENGTH
            || text.get().codePoints().anyMatch(Character::isISOControl))) {
      errors.reject(
          name,
          name + " must be 1 to " + MAX_SEARCH_LENGTH + " characters with no control character");
      return Optional.empty();
    }
    return text;
  }

  /** Page number ({@code page}, from 0, default 0) of a paged read. */
  static int page(RoutingContext routing, FieldErrors errors) {
    return number(routing, errors, "page", 0, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE);
  }

  /** Page size ({@code size}, 1 to {@value #MAX_PAGE_SIZE}, default 20) of a paged read. */
  static int size(RoutingContext routing, FieldErrors errors) {
    return number(routing, errors, "size", 20, 1, MAX_PAGE_SIZE);
  }

  private static int number(
      RoutingContext routing, FieldErrors errors, String field, int fallback, int min, int max) {
    Optional<String> value = query(routing, field, errors);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      int number = Integer.parseInt(value.get());
      if (number >= min && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below, with the other bad parameters
    }
    errors.reject(field, field + " must be an integer from " + min + " to " + max);
    return fallback;
  }

  private static Optional<String> single(List<String> values, String name, FieldErrors errors) {
    if (values.size() > 1) {
      errors.reject(name, name + " must be given at most once");
      return Optional.empty();
    }
    return values.stream().findFirst();
  }
}
