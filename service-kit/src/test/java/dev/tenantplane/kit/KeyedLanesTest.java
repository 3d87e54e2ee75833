package dev.tenantplane.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KeyedLanesTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final ExecutorService executor = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void workOfOneKeyRunsInSubmissionOrderEvenWhenEarlierWorkFinishesLater() {
    KeyedLanes lanes = new KeyedLanes(executor, 100);
    List<Integer> order = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> firstFinishes = new CompletableFuture<>();
    lanes.submit(
        "acme",
        () -> {
          order.add(1);
          return firstFinishes;
        });
    for (int i = 2; i <= 5; i++) {
      int n = i;
      lanes.submit("acme", () -> step(order, n));
    }
    await()
        .atMost(WAIT)
        .during(Duration.ofMillis(200))
        .until(() -> order.size() == 1 && order.get(0) == 1);

    firstFinishes.complete(null);

    await().atMost(WAIT).until(() -> order.size() == 5);
    assertThat(order).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void aKeyWaitingOnItsWorkDoesNotHoldUpOtherKeys() {
    KeyedLanes lanes = new KeyedLanes(executor, 100);
    List<String> done = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> stuck = new CompletableFuture<>();
    lanes.submit("slow-customer", () -> stuck);
    for (String key : List.of("a", "b", "c")) {
      lanes.submit(key, () -> step(done, key));
    }

    await().atMost(WAIT).until(() -> done.size() == 3);
    assertThat(done).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(lanes.inFlight()).isEqualTo(1);
    stuck.complete(null);
    await().atMost(WAIT).until(() -> lanes.inFlight() == 0);
  }

  @Test
  void aFailingPieceOfWorkDoesNotStopItsLane() {
    KeyedLanes lanes = new KeyedLanes(executor, 100);
    List<String> done = new CopyOnWriteArrayList<>();
    lanes.submit(
        "acme",
        () -> {
          throw new IllegalStateException("boom");
        });
    lanes.submit("acme", () -> CompletableFuture.failedFuture(new IllegalStateException("x")));
    lanes.submit("acme", () -> step(done, "after"));

    await().atMost(WAIT).until(() -> done.contains("after"));
  }

  @Test
  void submitHoldsTheCallerBackOnceTheBoundIsReached() throws Exception {
    KeyedLanes lanes = new KeyedLanes(executor, 2);
    CompletableFuture<Void> release = new CompletableFuture<>();
    assertThat(lanes.submit("a", () -> release).toCompletableFuture()).isDone();
    assertThat(lanes.submit("b", () -> release).toCompletableFuture()).isDone();

    CompletableFuture<Void> third = lanes.submit("c", () -> release).toCompletableFuture();
    assertThat(third).isNotDone();

    release.complete(null);
    third.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> lanes.inFlight() == 0);
  }

  private static <T> CompletionStage<Void> step(List<T> log, T value) {
    log.add(value);
    return CompletableFuture.completedFuture(null);
  }
}
