package dev.tenantplane.common.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * A fleet migration finished: how many customers were migrated, which ones failed, and, per
 * customer, what happened to it.
 *
 * <p>{@code migrated} counts the customers that had migrations applied by this run (a customer
 * already at the latest version is not counted); {@code failedCustomers} names those that could not
 * be migrated. {@code outcomes} was added later, within v1: a producer that predates it sends none,
 * which reads as an empty list, and an empty list is not written, so a v1 consumer that knows only
 * the first three fields reads every event as before.
 */
public record FleetMigrationCompleted(
    EventMeta meta,
    String schemaVersion,
    int migrated,
    List<String> failedCustomers,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<CustomerOutcome> outcomes)
    implements LifecycleEvent {

  public FleetMigrationCompleted {
    failedCustomers = failedCustomers == null ? List.of() : List.copyOf(failedCustomers);
    outcomes = outcomes == null ? List.of() : List.copyOf(outcomes);
  }

  /** An event without per-customer outcomes, as producers before them sent it. */
  public FleetMigrationCompleted(
      EventMeta meta, String schemaVersion, int migrated, List<String> failedCustomers) {
    this(meta, schemaVersion, migrated, failedCustomers, List.of());
  }

  /** The customers that were already at the latest version, as the outcomes say. */
  @JsonIgnore
  public List<String> alreadyCurrent() {
    return outcomes.stream()
        .filter(o -> o.outcome() == Outcome.ALREADY_CURRENT)
        .map(CustomerOutcome::customerId)
        .toList();
  }

  /** What a fleet run did to one customer's database. */
  public enum Outcome {
    /** Migrations were applied; the database is now at {@code schemaVersion}. */
    MIGRATED,
    /** Nothing was pending; the database was already at {@code schemaVersion}. */
    ALREADY_CURRENT,
    /** The customer could not be migrated; {@code reason} says why. */
    FAILED
  }

  /**
   * One customer's result. {@code schemaVersion} is the database's version after the run (absent
   * when it failed); {@code reason} is set for a failure only and never holds a secret.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CustomerOutcome(
      String customerId, Outcome outcome, String schemaVersion, String reason) {
    public CustomerOutcome {
      Objects.requireNonNull(customerId, "customerId");
      Objects.requireNonNull(outcome, "outcome");
    }
  }
}
