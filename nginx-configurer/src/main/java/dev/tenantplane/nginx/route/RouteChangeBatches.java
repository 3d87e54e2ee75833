package dev.tenantplane.nginx.route;

import dev.tenantplane.nginx.apply.NginxException;
import dev.tenantplane.nginx.apply.NginxRejectedException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Route changes that arrive while nginx is being changed wait for their turn, and that turn applies
 * all of them together: each one's row change, then one render, {@code nginx -t} and reload for the
 * lot, in one transaction under the routes lock. A burst of changes then costs about one reload
 * instead of one each. If nginx refuses the batch's configuration, each change of the batch is
 * applied again on its own, so only the change that nginx refuses fails.
 */
final class RouteChangeBatches {
  /** The most changes one turn takes; the others wait for the next. */
  static final int MAX_BATCH = 200;

  /** One change's row work, in the batch's transaction. */
  @FunctionalInterface
  interface RowWork {
    Decision run(Connection connection) throws SQLException;
  }

  /**
   * What a change's row work decided: a late change is done (it needs no configuration), any other
   * needs the table applied, with its customer's host names confirmed after the reload.
   */
  record Decision(boolean late, List<String> hosts) {
    static Decision skippedAsLate() {
      return new Decision(true, List.of());
    }

    static Decision apply(List<String> hosts) {
      return new Decision(false, hosts);
    }
  }

  /** Applies the table as it now is in the transaction; true when nginx was reloaded. */
  @FunctionalInterface
  interface TableWork {
    boolean apply(Connection connection, List<String> hosts) throws SQLException, NginxException;
  }

  /** A change's result: its decision and whether its turn reloaded nginx. */
  record Result(Decision decision, boolean reloaded) {}

  private static final class Pending {
    private final RowWork work;
    private final CompletableFuture<Result> result = new CompletableFuture<>();

    private Pending(RowWork work) {
      this.work = work;
    }
  }

  private final RouteStore store;
  private final TableWork table;
  private final long spacingNanos;
  private final Queue<Pending> waiting = new ConcurrentLinkedQueue<>();
  private final ReentrantLock turn = new ReentrantLock(true);
  private long lastTurnEnded;

  /**
   * @param spacing the least time from the end of one turn to the start of the next; changes that
   *     arrive meanwhile join the next turn
   */
  RouteChangeBatches(RouteStore store, TableWork table, Duration spacing) {
    this.store = store;
    this.table = table;
    this.spacingNanos = spacing.toNanos();
    // As if the last turn ended a spacing ago, so the first turn starts at once.
    this.lastTurnEnded = System.nanoTime() - spacingNanos;
  }

  /** Runs {@code work} in the next turn and returns once that turn is committed or failed. */
  Result submit(RowWork work) throws SQLException, NginxException {
    Pending mine = new Pending(work);
    waiting.add(mine);
    turn.lock();
    try {
      // A turn completes every change it took before it ends, so one not done is still waiting.
      if (!mine.result.isDone()) {
        awaitSpacing();
        runTurn(take());
        lastTurnEnded = System.nanoTime();
      }
    } finally {
      turn.unlock();
    }
    return await(mine);
  }

  /** Waits, holding the turn, until the spacing since the last turn has passed. */
  private void awaitSpacing() {
    long rest = lastTurnEnded + spacingNanos - System.nanoTime();
    if (rest > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(rest);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** How many changes wait for a turn now. */
  int waiting() {
    return waiting.size();
  }

  private List<Pending> take() {
    List<Pending> batch = new ArrayList<>();
    Pending next;
    while (batch.size() < MAX_BATCH && (next = waiting.poll()) != null) {
      batch.add(next);
    }
    return batch;
  }

  private void runTurn(List<Pending> batch) {
    try {
      List<Result> results = store.locked(connection -> applyAll(connection, batch));
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result.complete(results.get(i));
      }
    } catch (NginxRejectedException refused) {
      if (batch.size() == 1) {
        batch.get(0).result.completeExceptionally(refused);
      } else {
        batch.stream()
            .filter(pending -> !pending.result.isDone())
            .forEach(pending -> runTurn(List.of(pending)));
      }
    } catch (Exception | Error e) {
      batch.forEach(pending -> pending.result.completeExceptionally(e));
    }
  }

  /**
   * Each change's row work behind its own savepoint, so one that fails in the database fails alone;
   * then the table once, if any change needs it.
   */
  private List<Result> applyAll(Connection connection, List<Pending> batch)
      throws SQLException, NginxException {
    List<Decision> decisions = new ArrayList<>();
    Set<String> hosts = new LinkedHashSet<>();
    boolean needsTable = false;
    for (Pending pending : batch) {
      Savepoint before = connection.setSavepoint();
      try {
        Decision decision = pending.work.run(connection);
        connection.releaseSavepoint(before);
        decisions.add(decision);
        needsTable |= !decision.late();
        hosts.addAll(decision.hosts());
      } catch (SQLException | RuntimeException e) {
        connection.rollback(before);
        pending.result.completeExceptionally(e);
        decisions.add(null);
      }
    }
    boolean reloaded = needsTable && table.apply(connection, List.copyOf(hosts));
    List<Result> results = new ArrayList<>();
    for (Decision decision : decisions) {
      results.add(decision == null ? null : new Result(decision, reloaded && !decision.late()));
    }
    return results;
  }

  private static Result await(Pending pending) throws SQLException, NginxException {
    try {
      return pending.result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while a route change was applied", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SQLException sql) {
        throw sql;
      }
      if (cause instanceof NginxException nginx) {
        throw nginx;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    }
  }
}
