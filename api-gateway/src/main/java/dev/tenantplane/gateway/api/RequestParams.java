package dev.tenantplane.gateway.api;

import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;

/**
 * Query parameters and headers exactly as sent. An empty value is a value, and judged as one,
 * rather than read as "not given"; a parameter or header given twice is refused, since two readers
 * could each take a different one.
 */
final class RequestParams {
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

  private static Optional<String> single(List<String> values, String name, FieldErrors errors) {
    if (values.size() > 1) {
      errors.reject(name, name + " must be given at most once");
      return Optional.empty();
    }
    return values.stream().findFirst();
  }
}
