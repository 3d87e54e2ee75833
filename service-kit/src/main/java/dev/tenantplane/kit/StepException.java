package dev.tenantplane.kit;

/**
 * A step failure with what an operator needs to act on it. {@code retryable} false means another
 * attempt cannot succeed (e.g. every port is taken), so the step fails at once. Messages and
 * details must never hold a secret: they travel in StepFailed events.
 */
public class StepException extends Exception {
  private final boolean retryable;
  private final String detail;

  public StepException(String message, boolean retryable, String detail) {
    super(message);
    this.retryable = retryable;
    this.detail = detail;
  }

  public StepException(String message, boolean retryable, String detail, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
    this.detail = detail;
  }

  public boolean retryable() {
    return retryable;
  }

  public String detail() {
    return detail;
  }
}
