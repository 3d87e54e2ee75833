package dev.tenantplane.health;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A blocking TCP server on a free 127.0.0.1 port, one thread per connection, that can play a host
 * that is down: while {@link #down} is set, every connection it accepts is reset at once and the
 * open ones are cut. Subclasses speak the protocol in {@link #serve}.
 */
abstract class LoopbackServer implements AutoCloseable {
  private final ServerSocket listener;
  private final ExecutorService connections;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean down;

  LoopbackServer(String name) {
    try {
      listener = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    connections =
        Executors.newCachedThreadPool(
            work -> {
              Thread thread = new Thread(work, name);
              thread.setDaemon(true);
              return thread;
            });
    connections.execute(this::acceptAll);
  }

  /** Serves one connection until the client is done; the socket is closed afterwards. */
  abstract void serve(Socket socket) throws IOException;

  int port() {
    return listener.getLocalPort();
  }

  /** Down: connections are reset. Up again: served as before. */
  void down(boolean down) {
    this.down = down;
    if (down) {
      open.forEach(LoopbackServer::reset);
    }
  }

  private void acceptAll() {
    while (!listener.isClosed()) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        return;
      }
      if (down) {
        reset(socket);
        continue;
      }
      connections.execute(
          () -> {
            open.add(socket);
            try (socket) {
              socket.setTcpNoDelay(true);
              serve(socket);
            } catch (IOException e) {
              // the client went away, or the host was taken down
            } finally {
              open.remove(socket);
            }
          });
    }
  }

  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException e) {
      // gone already
    }
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      // closing anyway
    }
    open.forEach(LoopbackServer::reset);
    connections.shutdownNow();
  }
}
