package dev.tenantplane.gateway.deadletters;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** What the API shows of dead letters: never the record's body, which may hold sealed secrets. */
public final class DeadLetterViews {
  private DeadLetterViews() {}

  /**
   * One dead letter: the customer and event it held, the consumer that gave up on it at which step
   * and why ({@code origin}, the topic/partition/offset, for a record no consumer could read), and
   * its replay, if there was one.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DeadLetter(
      long id,
      Instant receivedAt,
      String customerId,
      String eventType,
      String eventId,
      String consumer,
      String step,
      String reason,
      String origin,
      Instant replayedAt,
      String replayedBy,
      String replayEventId) {}

  /** A page of dead letters, newest first. */
  public record Page(List<DeadLetter> items, int page, int size, long total) {}
}
