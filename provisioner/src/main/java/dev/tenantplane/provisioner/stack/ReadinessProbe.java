package dev.tenantplane.provisioner.stack;

import dev.tenantplane.common.crypto.TenantSecrets;
import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.naming.TenantNames;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Checks that a tenant's PostgreSQL and Redis answer on their published ports: {@code SELECT 1} as
 * the database owner, and {@code AUTH} + {@code PING} on Redis.
 */
public final class ReadinessProbe {
  private static final int TIMEOUT_MILLIS = 3000;

  private ReadinessProbe() {}

  /** Why the database does not answer yet, or null when it does. */
  public static String databaseProblem(
      String host, PortAssignment ports, TenantNames names, TenantSecrets secrets) {
    Properties props = new Properties();
    props.setProperty("user", names.ownerRole());
    props.setProperty("password", secrets.databaseOwnerPassword());
    props.setProperty("connectTimeout", String.valueOf(TIMEOUT_MILLIS / 1000));
    props.setProperty("socketTimeout", String.valueOf(TIMEOUT_MILLIS / 1000));
    props.setProperty("loginTimeout", String.valueOf(TIMEOUT_MILLIS / 1000));
    String url = "jdbc:postgresql://" + host + ":" + ports.database() + "/" + names.database();
    try (Connection c = new org.postgresql.Driver().connect(url, props);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT 1")) {
      return r.next() && r.getInt(1) == 1 ? null : "SELECT 1 returned no row";
    } catch (SQLException e) {
      return "database: " + e.getSQLState();
    }
  }

  /** Why Redis does not answer yet, or null when it does. */
  public static String redisProblem(String host, PortAssignment ports, TenantSecrets secrets) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, ports.redis()), TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      out.write(command("AUTH", secrets.redisPassword()));
      out.flush();
      String auth = in.readLine();
      if (!"+OK".equals(auth)) {
        return "redis: AUTH answered " + (auth == null ? "nothing" : firstWord(auth));
      }
      out.write(command("PING"));
      out.flush();
      String ping = in.readLine();
      return "+PONG".equals(ping) ? null : "redis: PING answered " + ping;
    } catch (IOException e) {
      return "redis: " + e.getClass().getSimpleName();
    }
  }

  /** A RESP array of bulk strings. */
  static byte[] command(String... parts) {
    StringBuilder resp = new StringBuilder("*").append(parts.length).append("\r\n");
    for (String part : parts) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      resp.append('$').append(bytes.length).append("\r\n").append(part).append("\r\n");
    }
    return resp.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String firstWord(String line) {
    int space = line.indexOf(' ');
    return space < 0 ? line : line.substring(0, space);
  }
}
