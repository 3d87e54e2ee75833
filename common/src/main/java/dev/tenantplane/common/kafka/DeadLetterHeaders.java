package dev.tenantplane.common.kafka;

/**
 * The headers a record on the dead-letter topic carries besides its own: who gave up on it, at
 * which step and why, and for a record no consumer could read, where it came from.
 */
public final class DeadLetterHeaders {
  /** The consumer group that gave up. */
  public static final String CONSUMER = "tp_consumer";

  /** The step that failed for good (absent for an unreadable record). */
  public static final String STEP = "tp_step";

  /** Why: the last failure's reason, or why the record could not be read. */
  public static final String REASON = "tp_reason";

  /** {@code topic/partition/offset} of an unreadable record. */
  public static final String ORIGIN = "tp_origin";

  private DeadLetterHeaders() {}
}
