package dev.tenantplane.nginx.route;

import dev.tenantplane.nginx.NginxSettings;
import dev.tenantplane.nginx.apply.NginxApplier;
import dev.tenantplane.nginx.apply.NginxException;
import dev.tenantplane.nginx.render.NginxConfigRenderer;
import dev.tenantplane.nginx.render.RenderOptions;
import dev.tenantplane.nginx.render.RenderedConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Changes one customer's route and makes nginx serve the whole table, under the routes lock: the
 * row change and the configuration succeed together, or the transaction rolls back and nginx keeps
 * (or gets back) the last good configuration. A withdrawn life of a customer id is never routed
 * again; a later generation of the id is.
 */
@ApplicationScoped
public class RouteReconciler {
  private final RouteStore store;
  private final WithdrawnCustomers withdrawn;
  private final NginxApplier applier;
  private final NginxConfigRenderer renderer;

  public RouteReconciler(
      RouteStore store,
      WithdrawnCustomers withdrawn,
      NginxApplier applier,
      NginxSettings settings) {
    this.store = store;
    this.withdrawn = withdrawn;
    this.applier = applier;
    this.renderer = new NginxConfigRenderer(RenderOptions.from(settings));
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
    return store.locked(
        connection -> {
          int routed = store.generation(connection, customerId);
          if (generation <= withdrawn.generation(connection, customerId) || generation < routed) {
            return Outcome.skippedAsLate();
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
          List<String> hosts =
              next.map(r -> List.of(renderer.hostName(r.customerId()))).orElse(List.of());
          return new Outcome(next, applyTable(connection, hosts), false);
        });
  }

  /**
   * Withdraws {@code generation} of the customer: marks it withdrawn, deletes its route and applies
   * the table, all in one transaction, so no change waiting on the lock can route that life again.
   * Repeating it changes nothing. A withdrawal of a generation older than one already withdrawn or
   * routed is late: nothing changes. Its outcome says whether nginx was reloaded, or that it was
   * late.
   */
  public Outcome withdraw(String customerId, int generation) throws SQLException, NginxException {
    return store.locked(
        connection -> {
          if (generation < withdrawn.generation(connection, customerId)
              || generation < store.generation(connection, customerId)) {
            return Outcome.skippedAsLate();
          }
          withdrawn.mark(connection, customerId, generation);
          store.delete(connection, customerId);
          return new Outcome(Optional.empty(), applyTable(connection, List.of()), false);
        });
  }

  /** Makes nginx serve the table as it is, e.g. after nginx lost its files; false if it did. */
  public boolean resync() throws SQLException, NginxException {
    return store.locked(connection -> applyTable(connection, List.of()));
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
