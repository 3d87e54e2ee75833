package dev.tenantplane.nginx.apply;

import dev.tenantplane.common.retry.BoundedWait;
import dev.tenantplane.common.retry.RetryPolicy;
import dev.tenantplane.nginx.render.NginxConfigRenderer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Asks nginx, over plain HTTP on its listen address, which configuration version a server block
 * serves. A raw request because the probe must choose the Host header (the customer's host name),
 * which Java's HTTP client does not allow.
 */
public class RouteProbe {
  private static final int TIMEOUT_MILLIS = 2000;
  private static final RetryPolicy PACE = RetryPolicy.every(Duration.ofMillis(50));
  // Longer than the pause (100 ms in current nginx) between new workers and old ones leaving.
  static final Duration SETTLE = Duration.ofMillis(150);

  private final String host;
  private final int port;

  public RouteProbe(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** The version the server block for {@code hostHeader} answers, or empty if none. */
  public Optional<String> version(String hostHeader) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET "
                  + NginxConfigRenderer.VERSION_PATH
                  + " HTTP/1.1\r\nHost: "
                  + hostHeader
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readNBytes(8192), StandardCharsets.UTF_8);
      int bodyStart = response.indexOf("\r\n\r\n");
      if (!response.startsWith("HTTP/1.1 200 ") || bodyStart < 0) {
        return Optional.empty();
      }
      return Optional.of(response.substring(bodyStart + 4).strip());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Waits until every host name answers {@code version}, and then until the first one has answered
   * nothing else for {@link #SETTLE}; false when the timeout passes first. The second wait is for
   * nginx's reload: its master starts the new workers first and only then, after a short pause,
   * tells the old ones to stop accepting, which they do once they read that message. Meanwhile a
   * new connection may still reach the old configuration even after a probe saw the new one.
   */
  public boolean confirm(String version, List<String> hostHeaders, Duration timeout) {
    Set<String> pending = new LinkedHashSet<>(hostHeaders);
    String first = hostHeaders.get(0);
    long[] settlingSince = {0};
    try {
      return BoundedWait.until(
          timeout,
          PACE,
          () -> {
            pending.removeIf(host -> version(host).filter(version::equals).isPresent());
            if (!pending.isEmpty()) {
              return false;
            }
            long now = System.nanoTime();
            if (settlingSince[0] == 0 || version(first).filter(version::equals).isEmpty()) {
              settlingSince[0] = now;
              return false;
            }
            return now - settlingSince[0] >= SETTLE.toNanos();
          });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
