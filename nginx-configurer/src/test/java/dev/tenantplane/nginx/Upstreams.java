package dev.tenantplane.nginx;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Small HTTP servers on free 127.0.0.1 ports standing in for customers' apps: each answers its
 * name, the path it received (decoded, and raw with the query) and the X-Forwarded headers nginx
 * set.
 */
final class Upstreams implements AutoCloseable {
  private final List<HttpServer> servers = new ArrayList<>();

  /** Starts a server answering {@code name}; returns its port. */
  int start(String name) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/",
          exchange -> {
            var headers = exchange.getRequestHeaders();
            byte[] body =
                (name
                        + " path="
                        + exchange.getRequestURI().getPath()
                        + " forwarded-host="
                        + headers.getFirst("X-Forwarded-Host")
                        + " forwarded-prefix="
                        + headers.getFirst("X-Forwarded-Prefix")
                        + " forwarded-for="
                        + headers.getFirst("X-Forwarded-For")
                        + " raw="
                        + exchange.getRequestURI().getRawPath()
                        + (exchange.getRequestURI().getRawQuery() == null
                            ? ""
                            : "?" + exchange.getRequestURI().getRawQuery())
                        + " injected="
                        + headers.getFirst("X-Injected")
                        + " forwarded-proto="
                        + headers.getFirst("X-Forwarded-Proto"))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      server.start();
      servers.add(server);
      return server.getAddress().getPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    servers.forEach(s -> s.stop(0));
  }
}
