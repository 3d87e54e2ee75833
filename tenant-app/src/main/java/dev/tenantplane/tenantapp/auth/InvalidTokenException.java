package dev.tenantplane.tenantapp.auth;

/** A token that is missing, malformed, unsigned by our key, or expired. */
public class InvalidTokenException extends RuntimeException {
  public InvalidTokenException(String message) {
    super(message);
  }
}
