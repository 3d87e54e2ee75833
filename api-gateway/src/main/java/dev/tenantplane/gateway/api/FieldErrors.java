package dev.tenantplane.gateway.api;

import java.util.ArrayList;
import java.util.List;

/** Collects every bad field of a request, to reject them all in one 400. */
public class FieldErrors {
  private final List<Problem.FieldError> errors = new ArrayList<>();

  public void reject(String field, String message) {
    errors.add(new Problem.FieldError(field, message));
  }

  /** Whether {@code field} was already rejected. */
  public boolean rejected(String field) {
    return errors.stream().anyMatch(e -> e.field().equals(field));
  }

  /** Ends the request with a 400 naming every bad field, if there is one. */
  public void requireValid() {
    if (!errors.isEmpty()) {
      throw new ProblemException(Problem.invalid(errors));
    }
  }
}
