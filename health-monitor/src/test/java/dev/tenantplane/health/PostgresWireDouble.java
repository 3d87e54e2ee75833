package dev.tenantplane.health;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Speaks just enough of the PostgreSQL wire protocol (version 3) for the monitor's probe: refuses
 * TLS, lets in every role without a password (trust) and answers any {@code SELECT} with one row
 * holding {@code 1}, any other statement with its command tag. One port for every customer: the
 * role in the start-up message names the customer.
 */
final class PostgresWireDouble extends LoopbackServer {
  private static final int SSL_REQUEST = 80877103;
  private static final int GSS_REQUEST = 80877104;
  private static final int PROTOCOL_3 = 196608;

  private final ProbeLog log;

  PostgresWireDouble(ProbeLog log) {
    super("postgres-double");
    this.log = log;
  }

  @Override
  void serve(Socket socket) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
    Map<String, String> startup = startup(in, out);
    if (startup == null) {
      return;
    }
    if (!log.knowsRole(startup.get("user"))) {
      error(out, "28000", "role \"" + startup.get("user") + "\" does not exist");
      out.flush();
      return;
    }
    log.session(true);
    try {
      message(out, 'R', 0, 0, 0, 0); // AuthenticationOk
      parameter(out, "server_version", "16.0");
      parameter(out, "client_encoding", "UTF8");
      parameter(out, "server_encoding", "UTF8");
      parameter(out, "DateStyle", "ISO, MDY");
      parameter(out, "integer_datetimes", "on");
      parameter(out, "standard_conforming_strings", "on");
      parameter(out, "TimeZone", "UTC");
      message(out, 'K', 0, 0, 0, 1, 0, 0, 0, 1); // BackendKeyData
      ready(out);
      out.flush();
      converse(in, out);
    } finally {
      log.session(false);
    }
  }

  /** The start-up message's parameters, after refusing TLS and GSS; null when the client left. */
  private static Map<String, String> startup(DataInputStream in, DataOutputStream out)
      throws IOException {
    while (true) {
      int length = in.readInt();
      int code = in.readInt();
      byte[] rest = new byte[length - 8];
      in.readFully(rest);
      if (code == SSL_REQUEST || code == GSS_REQUEST) {
        out.write('N');
        out.flush();
        continue;
      }
      if (code != PROTOCOL_3) {
        return null;
      }
      Map<String, String> parameters = new HashMap<>();
      String[] parts = new String(rest, StandardCharsets.UTF_8).split("\0");
      for (int i = 0; i + 1 < parts.length; i += 2) {
        parameters.put(parts[i], parts[i + 1]);
      }
      return parameters;
    }
  }

  /** Answers the simple and the extended query protocol until the client terminates. */
  private static void converse(DataInputStream in, DataOutputStream out) throws IOException {
    String statement = "";
    while (true) {
      int type = in.read();
      if (type < 0 || type == 'X') {
        return;
      }
      byte[] body = new byte[in.readInt() - 4];
      in.readFully(body);
      switch (type) {
        case 'Q' -> {
          String sql = cString(body, 0);
          if (isSelect(sql)) {
            rowDescription(out);
            dataRow(out);
          }
          complete(out, sql);
          ready(out);
          out.flush();
        }
        case 'P' -> {
          int name = cStringEnd(body, 0);
          statement = cString(body, name + 1);
          message(out, '1');
        }
        case 'B' -> message(out, '2');
        case 'D' -> {
          if (body[0] == 'S') {
            message(out, 't', 0, 0); // ParameterDescription: none
          }
          if (isSelect(statement)) {
            rowDescription(out);
          } else {
            message(out, 'n');
          }
        }
        case 'E' -> {
          if (isSelect(statement)) {
            dataRow(out);
          }
          complete(out, statement);
        }
        case 'C' -> message(out, '3');
        case 'S' -> {
          ready(out);
          out.flush();
        }
        case 'H' -> out.flush();
        default -> {
          error(out, "0A000", "not supported by the stand-in: " + (char) type);
          ready(out);
          out.flush();
        }
      }
    }
  }

  private static boolean isSelect(String sql) {
    return sql.stripLeading().regionMatches(true, 0, "SELECT", 0, 6);
  }

  private static int cStringEnd(byte[] body, int from) {
    int end = from;
    while (end < body.length && body[end] != 0) {
      end++;
    }
    return end;
  }

  private static String cString(byte[] body, int from) {
    return new String(body, from, cStringEnd(body, from) - from, StandardCharsets.UTF_8);
  }

  private static void rowDescription(DataOutputStream out) throws IOException {
    byte[] name = "?column?\0".getBytes(StandardCharsets.US_ASCII);
    out.write('T');
    out.writeInt(4 + 2 + name.length + 4 + 2 + 4 + 2 + 4 + 2);
    out.writeShort(1);
    out.write(name);
    out.writeInt(0); // table
    out.writeShort(0); // column
    out.writeInt(23); // int4
    out.writeShort(4);
    out.writeInt(-1);
    out.writeShort(0); // text
  }

  private static void dataRow(DataOutputStream out) throws IOException {
    out.write('D');
    out.writeInt(4 + 2 + 4 + 1);
    out.writeShort(1);
    out.writeInt(1);
    out.write('1');
  }

  private static void complete(DataOutputStream out, String sql) throws IOException {
    String[] words = sql.strip().split("\\s+", 2);
    String tag = isSelect(sql) ? "SELECT 1" : words[0].toUpperCase(java.util.Locale.ROOT);
    cStringMessage(out, 'C', tag);
  }

  private static void ready(DataOutputStream out) throws IOException {
    message(out, 'Z', 'I');
  }

  private static void parameter(DataOutputStream out, String name, String value)
      throws IOException {
    byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
    byte[] v = (value + "\0").getBytes(StandardCharsets.UTF_8);
    out.write('S');
    out.writeInt(4 + n.length + v.length);
    out.write(n);
    out.write(v);
  }

  private static void error(DataOutputStream out, String code, String text) throws IOException {
    byte[] fields = ("SFATAL\0C" + code + "\0M" + text + "\0\0").getBytes(StandardCharsets.UTF_8);
    out.write('E');
    out.writeInt(4 + fields.length);
    out.write(fields);
  }

  private static void cStringMessage(DataOutputStream out, char type, String text)
      throws IOException {
    byte[] bytes = (text + "\0").getBytes(StandardCharsets.UTF_8);
    out.write(type);
    out.writeInt(4 + bytes.length);
    out.write(bytes);
  }

  private static void message(DataOutputStream out, char type, int... bytes) throws IOException {
    out.write(type);
    out.writeInt(4 + bytes.length);
    for (int b : bytes) {
      out.write(b);
    }
  }
}
