package dev.tenantplane.gateway.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What the API shows of the audit trail. No entry ever holds a token. */
public final class AuditViews {
  private AuditViews() {}

  /**
   * One write: who (the token's name), what, on which customer ({@code fleet} for the fleet), the
   * event it emitted, if any, and when it committed.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Entry(
      long id,
      Instant at,
      String actor,
      String action,
      String customerId,
      String eventId,
      String detail) {}

  /** A page of entries, newest first. */
  public record Page(List<Entry> items, int page, int size, long total) {}

  /** Which entries to read; an empty field does not filter. */
  public record Filter(
      Optional<String> actor,
      Optional<String> customerId,
      Optional<String> action,
      Optional<Instant> since) {}
}
