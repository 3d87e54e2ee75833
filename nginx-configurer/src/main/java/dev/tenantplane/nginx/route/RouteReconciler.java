package dev.tenantplane.nginx.route;

import dev.tenantplane.nginx.NginxSettings;
import dev.tenantplane.nginx.apply.NginxApplier;
import dev.tenantplane.nginx.apply.NginxException;
import dev.tenantplane.nginx.render.NginxConfigRenderer;
import dev.tenantplane.nginx.render.RenderOptions;
import dev.tenantplane.nginx.render.RenderedConfig;
import dev.tenantplane.nginx.route.RouteChangeBatches.Decision;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * Changes one customer's route and makes nginx serve the whole table, under the routes lock: the
 * row change and the configuration succeed together, or the transaction rolls back and nginx keeps
 * (or gets back) the last good configuration. Changes that arrive while nginx is being changed are
 * applied together in the next turn, with one reload ({@link RouteChangeBatches}). A withdrawn life
 * of a customer id is never routed again; a later generation of the id is.
 */
@ApplicationScoped
public class RouteReconciler {
  private final RouteStore store;
  private final WithdrawnCustomers withdrawn;
  private final NginxApplier applier;
  private final NginxConfigRenderer renderer;
  private final RouteChangeBatches batches;

  public RouteReconciler(
      RouteStore store,
      WithdrawnCustomers withdrawn,
      NginxApplier applier,
      NginxSettings settings) {
    this.store = store;
    this.withdrawn = withdrawn;
    this.applier = applier;
    this.renderer = new NginxConfigRenderer(RenderOptions.from(settings));
    this.batches = new RouteChangeBatches(store, this::applyTable, settings.minReloadInterval());
  }

  /**
   * What a change did: the customer's route afterwards, whether nginx was reloaded, and whether the
   * change was skipped because its event is late, of a life of the id that ended (then there is no
   * route and no reload).
   */
  public record Outcome(Optional<Route> route, boolean reloaded, boolean late) {
    static Outcome skippedAsLate() {
      return new Outcome(Optional.empty(), false, true);
    }
  }

  /**
   * Sets the customer's route to {@code desired(current)} (empty removes it) and applies the
   * configuration rendered from the whole table, for an event of {@code generation} of the id. An
   * event of a generation withdrawn already (or older than the route's) is late: nothing changes.
   */
  public Outcome change(String customerId, int generation, UnaryOperator<Optional<Route>> desired)
      throws SQLException, NginxException {
    AtomicReference<Optional<Route>> after = new AtomicReference<>(Optional.empty());
    RouteChangeBatches.Result result =
        batches.submit(
            connection -> {
              int routed = store.generation(connection, customerId);
              if (generation <= withdrawn.generation(connection, customerId)
                  || generation < routed) {
                return Decision.skippedAsLate();
              }
              // A route of an earlier life is not this one's to keep (e.g. its suspension).
              Optional<Route> current =
                  routed < generation ? Optional.empty() : store.find(connection, customerId);
              Optional<Route> next = desired.apply(current);
              if (!next.equals(current) || generation != routed) {
                if (next.isPresent()) {
                  store.save(connection, next.get(), generation);
                } else {
                  store.delete(connection, customerId);
                }
              }
              after.set(next);
              return Decision.apply(
                  next.map(r -> List.of(renderer.hostName(r.customerId()))).orElse(List.of()));
            });
    return outcome(result, after.get());
  }

  /**
   * Withdraws {@code generation} of the customer: marks it withdrawn, deletes its route and applies
   * the table, all in one transaction, so no change waiting on the lock can route that life again.
   * Repeating it changes nothing. A withdrawal of a generation older than one already withdrawn or
   * routed is late: nothing changes. Its outcome says whether nginx was reloaded, or that it was
   * late.
   */
  public Outcome withdraw(String customerId, int generation) throws SQLException, NginxException {
    RouteChangeBatches.Result result =
        batches.submit(
            connection -> {
              if (generation < withdrawn.generation(connection, customerId)
                  || generation < store.generation(connection, customerId)) {
                return Decision.skippedAsLate();
              }
              withdrawn.mark(connection, customerId, generation);
              store.delete(connection, customerId);
              return Decision.apply(List.of());
            });
    return outcome(result, Optional.empty());
  }

  /** Makes nginx serve the table as it is, e.g. after nginx lost its files; false if it did. */
  public boolean resync() throws SQLException, NginxException {
    return batches.submit(connection -> Decision.apply(List.of())).reloaded();
  }

  private static Outcome outcome(RouteChangeBatches.Result result, Optional<Route> route) {
    return result.decision().late()
        ? Outcome.skippedAsLate()
        : new Outcome(route, result.reloaded(), false);
  }

  private boolean applyTable(Connection connection, List<String> hosts)
      throws SQLException, NginxException {
    RenderedConfig candidate = renderer.render(store.all(connection));
    RenderedConfig lastGood =
        store.liveConfig(connection).orElseGet(() -> renderer.render(List.of()));
    boolean reloaded = applier.apply(candidate, lastGood, hosts);
    if (!candidate.version().equals(lastGood.version())) {
      store.saveLiveConfig(connection, candidate);
    }
    return reloaded;
  }

  public String hostName(String customerId) {
    return renderer.hostName(customerId);
  }
}
