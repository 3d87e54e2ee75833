package dev.tenantplane.gateway.fleet;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** What the API shows of fleet migrations. */
public final class FleetMigrationViews {
  private FleetMigrationViews() {}

  /** RUNNING until the migrator reports the run, then COMPLETED (with or without failures). */
  public enum Status {
    RUNNING,
    COMPLETED
  }

  /**
   * One fleet run, with how many customers had each outcome; {@code outcomes}, one per customer,
   * only when a single run is read.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record FleetMigration(
      String id,
      Status status,
      Instant requestedAt,
      String requestedBy,
      Integer maxConcurrency,
      Instant completedAt,
      String schemaVersion,
      int migrated,
      int alreadyCurrent,
      int failed,
      List<CustomerOutcome> outcomes) {}

  /** What the run did to one customer; {@code reason} only for a failure. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CustomerOutcome(
      String customerId, String outcome, String schemaVersion, String reason) {}

  /** A page of runs, newest first. */
  public record Page(List<FleetMigration> items, int page, int size, long total) {}
}
