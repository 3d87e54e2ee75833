package dev.tenantplane.health;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Stands in for the platform's nginx: every customer's path route answers 200, or 502 while the
 * customers' host is down; each request names its customer (the first segment of the path) to the
 * listener.
 */
public class NginxDouble implements QuarkusTestResourceLifecycleManager {
  private final Consumer<String> routes;
  private volatile boolean upstreamDown;
  private HttpServer server;

  public NginxDouble() {
    this(customer -> {});
  }

  NginxDouble(Consumer<String> routes) {
    this.routes = routes;
  }

  /** While down, the routes answer 502 as nginx does when it cannot reach the app. */
  void upstreamDown(boolean down) {
    upstreamDown = down;
  }

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          String[] path = exchange.getRequestURI().getPath().split("/", 3);
          if (path.length > 1) {
            routes.accept(path[1]);
          }
          exchange.sendResponseHeaders(upstreamDown ? 502 : 200, -1);
          exchange.close();
        });
    server.start();
    return Map.of(
        "tenantplane.health.nginx-url", "http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void stop() {
    server.stop(0);
  }
}
