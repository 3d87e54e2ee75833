package dev.tenantplane.nginx.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.nginx.apply.NginxRejectedException;
import dev.tenantplane.nginx.route.RouteChangeBatches.Decision;
import dev.tenantplane.nginx.route.RouteChangeBatches.Result;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Route changes that arrive while a turn applies the table wait, and the next turn applies them
 * together with one table apply; a batch nginx refuses is applied again change by change, and a
 * change whose row work fails in the database fails alone. The table work here stands in for nginx
 * (it records the host names of each apply, and refuses a host named "refused"); the transaction
 * and the routes lock are the real ones.
 */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres"))
class RouteChangeBatchesIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int WAITING = 5;

  @Inject RouteStore store;

  private final List<List<String>> applies = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicBoolean holdFirst = new AtomicBoolean(true);
  private ExecutorService threads;
  private RouteChangeBatches batches;

  @BeforeEach
  void open() {
    threads = Executors.newFixedThreadPool(WAITING + 1);
    batches = new RouteChangeBatches(store, this::apply, Duration.ZERO);
  }

  /** Stands in for nginx: holds the first apply until released, refuses a host named refused. */
  private boolean apply(Connection connection, List<String> hosts) throws NginxRejectedException {
    if (holdFirst.getAndSet(false)) {
      awaitRelease();
    }
    applies.add(hosts);
    if (hosts.contains("refused")) {
      throw new NginxRejectedException("nginx: [emerg] host refused");
    }
    return true;
  }

  private void awaitRelease() {
    try {
      assertThat(release.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("released").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void close() {
    release.countDown();
    threads.shutdownNow();
  }

  @Test
  void changesThatWaitDuringATurnAreAppliedTogetherInTheNextTurn() throws Exception {
    CompletableFuture<Result> first = submit("first", "SELECT 1");
    List<CompletableFuture<Result>> waiting = submitWhileTheFirstTurnHolds("SELECT 1", null);

    assertThat(first.get(WAIT.toSeconds(), TimeUnit.SECONDS).reloaded()).isTrue();
    for (CompletableFuture<Result> change : waiting) {
      assertThat(change.get(WAIT.toSeconds(), TimeUnit.SECONDS).reloaded()).isTrue();
    }
    assertThat(applies).as("table applies").hasSize(2);
    assertThat(applies.get(1)).containsExactlyInAnyOrder("h0", "h1", "h2", "h3", "h4");
  }

  @Test
  void aBatchThatNginxRefusesIsAppliedAgainChangeByChangeAndOnlyTheRefusedOneFails()
      throws Exception {
    CompletableFuture<Result> first = submit("first", "SELECT 1");
    List<CompletableFuture<Result>> waiting = submitWhileTheFirstTurnHolds("SELECT 1", "refused");

    first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThatThrownBy(() -> waiting.get(0).get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(NginxRejectedException.class);
    for (CompletableFuture<Result> change : waiting.subList(1, WAITING)) {
      assertThat(change.get(WAIT.toSeconds(), TimeUnit.SECONDS).reloaded()).isTrue();
    }
    assertThat(applies)
        .as("the first turn, the refused batch, then one apply per change")
        .hasSize(2 + WAITING);
  }

  @Test
  void aChangeWhoseRowWorkFailsInTheDatabaseFailsAloneAndTheRestOfItsBatchIsApplied()
      throws Exception {
    CompletableFuture<Result> first = submit("first", "SELECT 1");
    List<CompletableFuture<Result>> waiting =
        submitWhileTheFirstTurnHolds("SELECT * FROM no_such_table", null);

    first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThatThrownBy(() -> waiting.get(0).get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .hasCauseInstanceOf(SQLException.class)
        .hasMessageContaining("no_such_table");
    for (CompletableFuture<Result> change : waiting.subList(1, WAITING)) {
      assertThat(change.get(WAIT.toSeconds(), TimeUnit.SECONDS).reloaded()).isTrue();
    }
    assertThat(applies).hasSize(2);
    assertThat(applies.get(1)).containsExactlyInAnyOrder("h1", "h2", "h3", "h4");
  }

  @Test
  void aTurnStartsNoSoonerThanTheSpacingAfterTheLastAndTakesEveryChangeThatCameMeanwhile()
      throws Exception {
    holdFirst.set(false);
    batches = new RouteChangeBatches(store, this::apply, Duration.ofSeconds(2));
    submit("first", "SELECT 1").get(WAIT.toSeconds(), TimeUnit.SECONDS);

    List<CompletableFuture<Result>> spaced = new ArrayList<>();
    for (int i = 0; i < WAITING; i++) {
      spaced.add(submit("h" + i, "SELECT 1"));
    }
    for (CompletableFuture<Result> change : spaced) {
      assertThat(change.get(WAIT.toSeconds(), TimeUnit.SECONDS).reloaded()).isTrue();
    }
    assertThat(applies).as("the first turn, then one for the changes that waited").hasSize(2);
    assertThat(applies.get(1)).containsExactlyInAnyOrder("h0", "h1", "h2", "h3", "h4");
  }

  /**
   * Submits {@value #WAITING} changes (hosts h0..h4) while the first turn is held, the first of
   * them running {@code firstSql} and named {@code firstHost} when given; then lets the turn end.
   */
  private List<CompletableFuture<Result>> submitWhileTheFirstTurnHolds(
      String firstSql, String firstHost) {
    await("the first turn").atMost(WAIT).until(() -> !holdFirst.get());
    List<CompletableFuture<Result>> waiting = new ArrayList<>();
    for (int i = 0; i < WAITING; i++) {
      boolean special = i == 0;
      String host = special && firstHost != null ? firstHost : "h" + i;
      waiting.add(submit(host, special ? firstSql : "SELECT 1"));
    }
    await("changes waiting").atMost(WAIT).until(() -> batches.waiting() == WAITING);
    release.countDown();
    return waiting;
  }

  private CompletableFuture<Result> submit(String host, String sql) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return batches.submit(
                connection -> {
                  try (Statement statement = connection.createStatement()) {
                    statement.execute(sql);
                  }
                  return Decision.apply(List.of(host));
                });
          } catch (Exception e) {
            throw new CompletionException(e);
          }
        },
        threads);
  }
}
