package dev.tenantplane.migrator.fleet;

import dev.tenantplane.common.events.FleetMigrationCompleted.Outcome;
import dev.tenantplane.common.events.FleetMigrationRequested;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.SealedEnvelope;
import dev.tenantplane.migrator.registry.CustomerRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The fleet runs in the control-plane database ({@code fleet_runs}, {@code fleet_run_customers}).
 * Every method returns a {@link Uni} to run inside the caller's transaction.
 *
 * <p>Concurrency is bounded per run across every instance: a claim round locks the open runs it
 * looks at ({@code FOR UPDATE SKIP LOCKED}), counts their live claims and claims at most the rest
 * of each run's {@code max_concurrency}; recording a result locks its run first, so the two never
 * wait on each other in opposite order.
 */
@ApplicationScoped
public class FleetRuns {
  private final CustomerRegistry registry;
  private final Clock clock;

  public FleetRuns(CustomerRegistry registry, Clock clock) {
    this.clock = clock;
    this.registry = registry;
  }

  /** What a claim round yields: customers to migrate, and the events of runs it completed. */
  public record Round(List<FleetClaim> claims, List<LifecycleEvent> completions) {}

  /**
   * Records a run for every customer active now; returns how many customers it holds. A run that
   * already exists (the same request again) is left as it is.
   */
  public Uni<Integer> open(FleetMigrationRequested request, int maxConcurrency) {
    UUID run = request.meta().eventId();
    return session()
        .chain(
            s ->
                s.createNativeQuery(
                        "INSERT INTO fleet_runs (run_id, correlation_id, max_concurrency)"
                            + " VALUES (:run, :correlation, :concurrency) ON CONFLICT DO NOTHING")
                    .setParameter("run", run)
                    .setParameter("correlation", request.meta().correlationId())
                    .setParameter("concurrency", maxConcurrency)
                    .executeUpdate()
                    .chain(
                        () ->
                            s.createNativeQuery(
                                    "INSERT INTO fleet_run_customers"
                                        + " (run_id, customer_id, generation)"
                                        + " SELECT :run, customer_id, generation"
                                        + " FROM migrated_customers"
                                        + " WHERE active ON CONFLICT DO NOTHING")
                                .setParameter("run", run)
                                .executeUpdate()));
  }

  /**
   * Claims up to {@code room} customers of open runs, oldest run first, within each run's
   * concurrency; a claim older than {@code claimTimeout} is taken over. Customers deprovisioned,
   * archived or suspended since the request are dropped from their run (also when the id lives
   * again, as a later generation: its new life is migrated by its own provisioning), and a run left
   * with nothing to do is completed.
   */
  public Uni<Round> claimRound(int room, Duration claimTimeout) {
    double timeout = claimTimeout.toMillis() / 1000.0;
    return session()
        .chain(
            s ->
                s.createNativeQuery(
                        "SELECT run_id FROM fleet_runs WHERE completed_at IS NULL"
                            + " ORDER BY requested_at FOR UPDATE SKIP LOCKED",
                        Object.class)
                    .getResultList()
                    .map(ids -> ids.stream().map(id -> UUID.fromString(id.toString())).toList())
                    .chain(runs -> runs.isEmpty() ? empty() : claimIn(s, runs, room, timeout)));
  }

  private Uni<Round> claimIn(Mutiny.Session s, List<UUID> runs, int room, double timeout) {
    Uni<Integer> prune =
        s.createNativeQuery(
                "DELETE FROM fleet_run_customers rc WHERE rc.run_id IN (:runs)"
                    + " AND rc.outcome IS NULL"
                    + " AND (rc.claimed_at IS NULL"
                    + "      OR rc.claimed_at <= now() - make_interval(secs => :timeout))"
                    + " AND NOT EXISTS (SELECT 1 FROM migrated_customers m"
                    + "                 WHERE m.customer_id = rc.customer_id"
                    + "                 AND m.generation = rc.generation AND m.active)")
            .setParameter("runs", runs)
            .setParameter("timeout", timeout)
            .executeUpdate();
    Uni<List<LifecycleEvent>> completions = completeEach(runs);
    return prune
        .chain(() -> completions)
        .chain(
            done ->
                room <= 0
                    ? Uni.createFrom().item(new Round(List.of(), done))
                    : claim(s, runs, room, timeout).map(claims -> new Round(claims, done)));
  }

  private Uni<List<FleetClaim>> claim(Mutiny.Session s, List<UUID> runs, int room, double timeout) {
    return s.createNativeQuery(
            "WITH live AS ("
                + "  SELECT r.run_id, r.requested_at, r.max_concurrency - ("
                + "    SELECT count(*) FROM fleet_run_customers c WHERE c.run_id = r.run_id"
                + "    AND c.outcome IS NULL"
                + "    AND c.claimed_at > now() - make_interval(secs => :timeout)) AS free"
                + "  FROM fleet_runs r WHERE r.run_id IN (:runs)),"
                + " candidates AS ("
                + "  SELECT c.run_id, c.customer_id, l.requested_at, l.free,"
                + "   row_number() OVER (PARTITION BY c.run_id ORDER BY c.customer_id) AS n"
                + "  FROM fleet_run_customers c JOIN live l ON l.run_id = c.run_id"
                + "  WHERE c.outcome IS NULL AND (c.claimed_at IS NULL"
                + "   OR c.claimed_at <= now() - make_interval(secs => :timeout))),"
                + " picked AS ("
                + "  SELECT run_id, customer_id FROM candidates WHERE n <= free"
                + "  ORDER BY requested_at, customer_id LIMIT :room)"
                + " UPDATE fleet_run_customers c SET claimed_at = now()"
                + " FROM picked p JOIN migrated_customers m ON m.customer_id = p.customer_id"
                + " WHERE c.run_id = p.run_id AND c.customer_id = p.customer_id"
                + " AND m.generation = c.generation"
                + " RETURNING c.run_id, c.customer_id, c.generation, m.db_port, m.envelope_key_id,"
                + " m.envelope_nonce, m.envelope_cipher",
            Object[].class)
        .setParameter("runs", runs)
        .setParameter("timeout", timeout)
        .setParameter("room", room)
        .getResultList()
        .map(FleetRuns::toClaims);
  }

  /**
   * Stores one customer's result (and, when it succeeded, its new version in the registry); returns
   * the events that close the run when this was its last customer, otherwise none. A result for a
   * customer already finished (a late duplicate) changes nothing.
   */
  public Uni<List<LifecycleEvent>> finish(FleetClaim claim, CustomerResult result) {
    return session()
        .chain(
            s ->
                lockRun(s, claim.runId())
                    .chain(
                        () ->
                            s.createNativeQuery(
                                    "UPDATE fleet_run_customers SET outcome = :outcome,"
                                        + " schema_version = :version, reason = :reason,"
                                        + " detail = :detail, finished_at = now()"
                                        + " WHERE run_id = :run AND customer_id = :customer"
                                        + " AND outcome IS NULL")
                                .setParameter("outcome", result.outcome().name())
                                .setParameter("version", result.schemaVersion())
                                .setParameter("reason", result.reason())
                                .setParameter("detail", result.detail())
                                .setParameter("run", claim.runId())
                                .setParameter("customer", claim.customerId())
                                .executeUpdate()))
        .chain(
            stored ->
                stored == 1 && result.succeeded()
                    ? registry.recordVersion(
                        claim.customerId(), claim.generation(), result.schemaVersion())
                    : Uni.createFrom().voidItem())
        .chain(() -> completeIfFinished(claim.runId()));
  }

  /** Gives claims back unfinished, e.g. at shutdown, so another instance takes them at once. */
  public Uni<Void> release(List<FleetClaim> claims) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (FleetClaim claim : claims) {
      chain =
          chain.chain(
              () ->
                  session()
                      .chain(
                          s ->
                              s.createNativeQuery(
                                      "UPDATE fleet_run_customers SET claimed_at = NULL"
                                          + " WHERE run_id = :run AND customer_id = :customer"
                                          + " AND outcome IS NULL")
                                  .setParameter("run", claim.runId())
                                  .setParameter("customer", claim.customerId())
                                  .executeUpdate())
                      .replaceWithVoid());
    }
    return chain;
  }

  /**
   * Completes the run if it is open and no customer is left to migrate: stamps it and returns its
   * report; otherwise returns no events.
   */
  public Uni<List<LifecycleEvent>> completeIfFinished(UUID run) {
    return session()
        .chain(
            s ->
                s.createNativeQuery(
                        "SELECT correlation_id FROM fleet_runs WHERE run_id = :run"
                            + " AND completed_at IS NULL"
                            + " AND NOT EXISTS (SELECT 1 FROM fleet_run_customers"
                            + "   WHERE run_id = :run AND outcome IS NULL)"
                            + " FOR UPDATE",
                        Object.class)
                    .setParameter("run", run)
                    .getResultList()
                    .chain(
                        found ->
                            found.isEmpty()
                                ? Uni.createFrom().item(List.<LifecycleEvent>of())
                                : complete(s, run, UUID.fromString(found.get(0).toString()))));
  }

  private Uni<List<LifecycleEvent>> complete(Mutiny.Session s, UUID run, UUID correlation) {
    return s.createNativeQuery(
            "SELECT customer_id, generation, outcome, schema_version, reason, detail"
                + " FROM fleet_run_customers WHERE run_id = :run ORDER BY customer_id",
            Object[].class)
        .setParameter("run", run)
        .getResultList()
        .chain(
            rows ->
                s.createNativeQuery(
                        "UPDATE fleet_runs SET completed_at = now() WHERE run_id = :run")
                    .setParameter("run", run)
                    .executeUpdate()
                    .map(ignored -> FleetReport.events(run, correlation, toFinished(rows), clock)));
  }

  private Uni<List<LifecycleEvent>> completeEach(List<UUID> runs) {
    Uni<List<LifecycleEvent>> chain = Uni.createFrom().item(List.of());
    for (UUID run : runs) {
      chain =
          chain.chain(
              done ->
                  completeIfFinished(run)
                      .map(
                          more -> {
                            List<LifecycleEvent> all = new ArrayList<>(done);
                            all.addAll(more);
                            return all;
                          }));
    }
    return chain;
  }

  private static Uni<Integer> lockRun(Mutiny.Session s, UUID run) {
    return s.createNativeQuery(
            "SELECT run_id FROM fleet_runs WHERE run_id = :run FOR UPDATE", Object.class)
        .setParameter("run", run)
        .getResultList()
        .map(List::size);
  }

  private static List<FleetClaim> toClaims(List<Object[]> rows) {
    return rows.stream()
        .map(
            r ->
                new FleetClaim(
                    UUID.fromString(r[0].toString()),
                    (String) r[1],
                    ((Number) r[2]).intValue(),
                    ((Number) r[3]).intValue(),
                    new SealedEnvelope((String) r[4], (String) r[5], (String) r[6])))
        .toList();
  }

  private static List<FleetReport.Finished> toFinished(List<Object[]> rows) {
    return rows.stream()
        .map(
            r ->
                new FleetReport.Finished(
                    (String) r[0],
                    ((Number) r[1]).intValue(),
                    new CustomerResult(
                        Outcome.valueOf((String) r[2]),
                        (String) r[3],
                        (String) r[4],
                        (String) r[5])))
        .toList();
  }

  private static Uni<Round> empty() {
    return Uni.createFrom().item(new Round(List.of(), List.of()));
  }

  private static Uni<Mutiny.Session> session() {
    return Panache.getSession();
  }
}
