package dev.tenantplane.common.kafka;

/**
 * A record that is not a readable event of this platform. Consumers report it (log, metric,
 * dead-letter topic) and go on with the next record; it is never retried, because it cannot
 * succeed.
 */
public class MalformedEventException extends RuntimeException {
  public MalformedEventException(String message) {
    super(message);
  }

  public MalformedEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
