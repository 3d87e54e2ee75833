package dev.tenantplane.health;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Speaks just enough RESP for the monitor's probe: {@code HELLO 3 AUTH default <password>} (as the
 * Vert.x client logs in), {@code AUTH}, then {@code PING}; every password is taken. One port for
 * every customer: the password names the customer to the {@link ProbeLog}.
 */
final class RedisWireDouble extends LoopbackServer {
  private static final byte[] HELLO =
      "%3\r\n+server\r\n+redis\r\n+version\r\n+7.0.0\r\n+proto\r\n:3\r\n"
          .getBytes(StandardCharsets.US_ASCII);

  private final ProbeLog log;

  RedisWireDouble(ProbeLog log) {
    super("redis-double");
    this.log = log;
  }

  @Override
  void serve(Socket socket) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    OutputStream out = socket.getOutputStream();
    String password = null;
    for (List<String> command = command(in); command != null; command = command(in)) {
      String name = command.isEmpty() ? "" : command.get(0).toUpperCase(Locale.ROOT);
      switch (name) {
        case "HELLO" -> {
          int auth = command.stream().map(a -> a.toUpperCase(Locale.ROOT)).toList().indexOf("AUTH");
          if (auth > 0 && auth + 2 < command.size()) {
            password = command.get(auth + 2);
          }
          out.write(HELLO);
        }
        case "AUTH" -> {
          password = command.get(command.size() - 1);
          out.write(simple("+OK"));
        }
        case "PING" -> {
          if (password == null) {
            out.write(simple("-NOAUTH Authentication required."));
          } else {
            log.redisPinged(password);
            out.write(simple("+PONG"));
          }
        }
        case "QUIT" -> {
          out.write(simple("+OK"));
          return;
        }
        default -> out.write(simple("+OK"));
      }
      out.flush();
    }
  }

  /** One command (an array of bulk strings); null at the end of the stream. */
  private static List<String> command(DataInputStream in) throws IOException {
    String head = line(in);
    if (head == null) {
      return null;
    }
    if (head.charAt(0) != '*') {
      return List.of(head.split(" "));
    }
    int count = Integer.parseInt(head.substring(1));
    List<String> args = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int length = Integer.parseInt(line(in).substring(1));
      byte[] arg = new byte[length + 2];
      in.readFully(arg);
      args.add(new String(arg, 0, length, StandardCharsets.UTF_8));
    }
    return args;
  }

  private static String line(DataInputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b >= 0; b = in.read()) {
      if (b == '\n') {
        return line.toString();
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return null;
  }

  private static byte[] simple(String reply) {
    return (reply + "\r\n").getBytes(StandardCharsets.US_ASCII);
  }
}
