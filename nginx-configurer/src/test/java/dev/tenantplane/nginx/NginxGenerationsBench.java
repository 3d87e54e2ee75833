package dev.tenantplane.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.events.SealedEnvelope;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.nginx.apply.NginxContainer;
import dev.tenantplane.nginx.route.Route;
import dev.tenantplane.nginx.route.RouteReconciler;
import dev.tenantplane.nginx.route.RouteStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Whether old nginx workers pile up while clients hold connections through reloads: {@code
 * tenantplane.bench.clients} Server-Sent Events streams (default 1000) opened through nginx to one
 * customer's app, a share before each of {@code tenantplane.bench.changes} route changes of other
 * customers (default 100), each a reload, with {@code tenantplane.bench.routes} routes live
 * (default 1000); every stream stays open. Samples nginx's memory and processes after each change,
 * then waits for the old workers to go (the image's {@code worker_shutdown_timeout}). Not a test of
 * the build; {@code bench/nginx-generations.sh} runs it and writes the figures to BENCHMARKS.md.
 */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres"))
@QuarkusTestResource(NginxTestResource.class)
class NginxGenerationsBench {
  private static final SealedEnvelope SEALED = new SealedEnvelope("k1", "bm9uY2U=", "c2VhbGVk");
  private static final Duration SETTLE_LIMIT = Duration.ofSeconds(120);

  @Inject NginxSettings settings;
  @Inject RouteStore store;
  @Inject RouteReconciler reconciler;
  @Inject NginxContainer nginx;

  @Test
  void measuresNginxWhileClientsHoldStreamsThroughManyReloads() throws Exception {
    int clients = Integer.getInteger("tenantplane.bench.clients", 1000);
    int changes = Integer.getInteger("tenantplane.bench.changes", 100);
    int routes = Integer.getInteger("tenantplane.bench.routes", 1000);
    try (EventStreamApp app = new EventStreamApp()) {
      String streamed = "stream-app";
      List<Route> table = new ArrayList<>();
      for (int i = 0; i < routes; i++) {
        table.add(filler(i, 0));
      }
      table.add(new Route(streamed, ports(app.port()), SEALED, false, false));
      BenchRoutes.replaceAll(store, table);
      reconciler.resync();
      String[] listen = settings.listen().split(":");
      List<Socket> streams = new ArrayList<>();
      try {
        NginxMemory before = NginxMemory.of(nginx);
        long maxKib = before.kib();
        int maxProcesses = before.processes();
        String failed = "";
        int perChange = (clients + changes - 1) / changes;
        long start = System.nanoTime();
        for (int c = 0; c < changes; c++) {
          // New streams before every reload, as clients keep (re)connecting: each generation of
          // workers then holds streams of its own when the next reload retires it.
          while (streams.size() < Math.min(clients, (c + 1) * perChange)) {
            streams.add(
                openStream(listen[0], Integer.parseInt(listen[1]), reconciler.hostName(streamed)));
          }
          Route next = filler(c % routes, c + 1);
          try {
            reconciler.change(next.customerId(), 1, current -> Optional.of(next));
          } catch (Exception e) {
            failed = "change_" + (c + 1) + ":" + e.getMessage().strip().replaceAll("\\s+", "_");
            break;
          }
          NginxMemory now = NginxMemory.of(nginx);
          maxKib = Math.max(maxKib, now.kib());
          maxProcesses = Math.max(maxProcesses, now.processes());
        }
        long changesMillis = (System.nanoTime() - start) / 1_000_000;
        int openAfterChanges = app.open();

        long settleStart = System.nanoTime();
        await("old workers gone")
            .atMost(SETTLE_LIMIT)
            .pollInterval(Duration.ofSeconds(1))
            .until(() -> NginxMemory.of(nginx).processes() <= before.processes());
        long settleSeconds = (System.nanoTime() - settleStart) / 1_000_000_000;
        NginxMemory after = NginxMemory.of(nginx);
        // The app sees a stream cut at its next write (every two seconds).
        long cutStart = System.nanoTime();
        try {
          await("streams of retired workers cut")
              .atMost(Duration.ofSeconds(30))
              .pollInterval(Duration.ofSeconds(1))
              .until(() -> app.open() == 0);
        } catch (ConditionTimeoutException stillOpen) {
          // Reported below: the streams nginx kept.
        }
        long cutSeconds = (System.nanoTime() - cutStart) / 1_000_000_000;

        String line =
            "routes="
                + routes
                + " clients="
                + clients
                + " changes="
                + changes
                + " changes_ms="
                + changesMillis
                + " before_kib="
                + before.kib()
                + " before_processes="
                + before.processes()
                + " max_kib="
                + maxKib
                + " max_processes="
                + maxProcesses
                + " streams_opened="
                + streams.size()
                + " streams_open_after_changes="
                + openAfterChanges
                + " settle_s="
                + settleSeconds
                + " after_kib="
                + after.kib()
                + " after_processes="
                + after.processes()
                + " streams_open_after_cut="
                + app.open()
                + " cut_s="
                + cutSeconds
                + (failed.isEmpty() ? "" : " failed=" + failed);
        System.out.println("nginx-generations-bench " + line);
        String out = System.getProperty("tenantplane.bench.out");
        if (out != null) {
          Files.writeString(Path.of(out), line + "\n", StandardCharsets.UTF_8);
        }
      } finally {
        for (Socket stream : streams) {
          stream.close();
        }
      }
    }
  }

  /** Opens one stream through nginx and reads its response's first line. */
  private static Socket openStream(String host, int port, String hostName) throws IOException {
    Socket socket = new Socket(host, port);
    socket.setSoTimeout(30_000);
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET /events HTTP/1.1\r\nHost: " + hostName + "\r\nAccept: text/event-stream\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    StringBuilder status = new StringBuilder();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      status.append((char) b);
    }
    assertThat(status.toString()).startsWith("HTTP/1.1 200");
    return socket;
  }

  private static Route filler(int i, int version) {
    return new Route(
        String.format("filler-%05d", i), ports(3001 + (i + version) % 999), SEALED, false, false);
  }

  private static PortAssignment ports(int app) {
    return new PortAssignment(app, 5433, 6380);
  }

  /**
   * An app that answers every request with an event stream that never ends (a comment every two
   * seconds), counting the streams still open; a thread per stream.
   */
  private static final class EventStreamApp implements AutoCloseable {
    private final ServerSocket server;
    private final AtomicInteger open = new AtomicInteger();
    private final Thread acceptor;

    EventStreamApp() throws IOException {
      server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 2048);
      acceptor = new Thread(this::accept, "event-stream-app");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    int open() {
      return open.get();
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket socket = server.accept();
          Thread stream = new Thread(() -> serve(socket), "event-stream");
          stream.setDaemon(true);
          stream.start();
        } catch (IOException closed) {
          return;
        }
      }
    }

    private void serve(Socket socket) {
      try (socket) {
        InputStream in = socket.getInputStream();
        int state = 0;
        while (state < 4) {
          int b = in.read();
          if (b == -1) {
            return;
          }
          state = (b == '\r' || b == '\n') ? state + 1 : 0;
        }
        OutputStream out = socket.getOutputStream();
        out.write(
            ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        open.incrementAndGet();
        try {
          while (true) {
            out.write("8\r\n: tick\n\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(2000);
          }
        } finally {
          open.decrementAndGet();
        }
      } catch (IOException | InterruptedException gone) {
        // The stream ended: nginx closed it, or the bench is over.
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
