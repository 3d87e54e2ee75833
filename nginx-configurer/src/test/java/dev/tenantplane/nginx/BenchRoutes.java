package dev.tenantplane.nginx;

import dev.tenantplane.nginx.route.Route;
import dev.tenantplane.nginx.route.RouteStore;
import java.sql.PreparedStatement;
import java.util.List;

/** The benches' route tables. */
final class BenchRoutes {
  private BenchRoutes() {}

  /** Replaces the routes table with {@code routes} (generation 1), in one transaction. */
  static void replaceAll(RouteStore store, List<Route> routes) throws Exception {
    store.locked(
        connection -> {
          try (PreparedStatement clear = connection.prepareStatement("DELETE FROM routes")) {
            clear.executeUpdate();
          }
          for (Route route : routes) {
            store.save(connection, route, 1);
          }
          return null;
        });
  }
}
