package dev.tenantplane.tenantapp.jobs;

/** Redis did not take a new job in time: nothing was written, the caller may try again. */
public class QueueUnavailableException extends RuntimeException {
  public QueueUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
