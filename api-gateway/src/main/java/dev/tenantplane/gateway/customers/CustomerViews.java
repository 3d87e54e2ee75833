package dev.tenantplane.gateway.customers;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the API shows of customers. None of these ever holds a secret. */
public final class CustomerViews {
  private CustomerViews() {}

  /** A customer in a list: what the fleet page shows of each. */
  public record Summary(
      String id,
      String name,
      String plan,
      String status,
      Ports ports,
      HealthView health,
      LastError lastError,
      @JsonInclude(JsonInclude.Include.NON_NULL) Archive archive,
      Instant createdAt,
      Instant updatedAt) {}

  /**
   * What an ARCHIVED customer still holds: the backup taken before its containers went and its
   * volumes, with the bytes each used when it was archived and their sum.
   */
  public record Archive(String backupFile, List<Volume> volumes, long bytes) {}

  public record Volume(String name, long bytes) {}

  public record Page(List<Summary> items, int page, int size, long total) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Ports(Integer app, Integer database, Integer redis) {}

  public record Names(
      List<String> containers, String network, String database, String ownerRole, String appRole) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HealthView(String status, String component, String error, Instant since) {}

  /**
   * The customer's job queue: jobs waiting, delayed, running, failed for good, the age of the
   * oldest waiting job, and when the health-monitor read it.
   */
  public record QueueView(
      long waiting,
      long delayed,
      long running,
      long failed,
      double oldestWaitingSeconds,
      Instant observedAt) {}

  public record LastError(String step, String reason, Integer attempt, Instant at) {}

  /**
   * One event of the timeline; a step's start is the previous event of the same generation (life of
   * the id), its end this one.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TimelineEntry(
      long seq,
      int generation,
      String eventId,
      String type,
      String step,
      Instant startedAt,
      Instant endedAt,
      long durationMillis,
      Integer attempt,
      Boolean retryable,
      String reason) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Detail(
      String id,
      String name,
      String plan,
      String status,
      int generation,
      String failedStep,
      Integer requestedPort,
      Ports ports,
      Names names,
      HealthView health,
      Map<String, String> components,
      QueueView queue,
      LastError lastError,
      List<TimelineEntry> timeline,
      Archive archive,
      Instant createdAt,
      Instant updatedAt) {}
}
