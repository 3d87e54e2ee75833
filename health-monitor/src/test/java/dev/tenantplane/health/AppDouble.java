package dev.tenantplane.health;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Stands in for the app of every customer on one port: each request (HTTP/1.1, kept alive) gets the
 * answer of {@code GET /api/health} of a healthy app whose worker is alive, with a queue. It cannot
 * tell the customers apart (the probe names none), so the nginx route names the customer.
 */
final class AppDouble extends LoopbackServer {
  private static final byte[] RESPONSE = response(body("fleet", "alive"));

  AppDouble() {
    super("app-double");
  }

  /**
   * The app's health answer for {@code customerId}; with {@code worker} ({@code alive}, {@code
   * missing}) it reports its worker and a queue of 3 waiting, 1 delayed, 1 running, 2 failed, the
   * oldest waiting 4.5 s.
   */
  static String body(String customerId, String worker) {
    return "{\"status\":\"healthy\",\"customer\":\""
        + customerId
        + "\""
        + (worker == null
            ? ""
            : ",\"worker\":{\"status\":\""
                + worker
                + "\"},\"queue\":{\"waiting\":3,\"delayed\":1,\"running\":1,"
                + "\"failed\":2,\"oldestWaitingSeconds\":4.5}")
        + "}";
  }

  @Override
  void serve(Socket socket) throws IOException {
    InputStream in = new BufferedInputStream(socket.getInputStream());
    OutputStream out = socket.getOutputStream();
    while (skipRequest(in)) {
      out.write(RESPONSE);
      out.flush();
    }
  }

  /** Reads one request's head (a GET has no body); false at the end of the stream. */
  private static boolean skipRequest(InputStream in) throws IOException {
    int matched = 0;
    for (int b = in.read(); b >= 0; b = in.read()) {
      matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == 4) {
        return true;
      }
    }
    return false;
  }

  private static byte[] response(String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + bytes.length
            + "\r\n\r\n";
    byte[] head8 = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[head8.length + bytes.length];
    System.arraycopy(head8, 0, all, 0, head8.length);
    System.arraycopy(bytes, 0, all, head8.length, bytes.length);
    return all;
  }
}
