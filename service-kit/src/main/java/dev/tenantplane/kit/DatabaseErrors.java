package dev.tenantplane.kit;

import io.vertx.pgclient.PgException;
import java.io.IOException;
import java.net.ConnectException;

/** Tells an unreachable database apart from a statement the database refused. */
public final class DatabaseErrors {
  private DatabaseErrors() {}

  /**
   * Whether {@code error} means the database could not be reached or went away (connection refused
   * or closed, server shutting down), as opposed to a statement it refused.
   */
  public static boolean unavailable(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause()) {
      if (e instanceof PgException pg) {
        String state = pg.getSqlState();
        // Class 08: connection exception; 57P0x: operator intervention (shutdown, crash recovery).
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
      }
      if (e instanceof ConnectException || e instanceof IOException) {
        return true;
      }
      if (e.getClass().getName().endsWith("ClosedConnectionException")) {
        return true;
      }
    }
    return false;
  }
}
