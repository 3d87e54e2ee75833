package dev.tenantplane.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AppHealthBodyTest {
  private static final String SEED =
      "\"status\":\"healthy\",\"timestamp\":\"2026-12-03T10:00:01Z\",\"customer\":\"acme-corp\","
          + "\"environment\":\"production\",\"uptime\":45.2";

  @Test
  void aFullBodyReportsAnAliveWorkerAndTheQueue() {
    AppHealthBody body =
        AppHealthBody.parse(
            "{"
                + SEED
                + ",\"worker\":{\"status\":\"alive\",\"beatAt\":\"2026-12-03T10:00:00Z\","
                + "\"lastCompletedAt\":\"2026-12-03T09:59:58Z\"},"
                + "\"queue\":{\"waiting\":3,\"delayed\":1,\"running\":1,\"failed\":0,"
                + "\"oldestWaitingSeconds\":2.5}}");
    assertThat(body.worker())
        .isEqualTo(new AppHealthBody.Worker(true, Instant.parse("2026-12-03T10:00:00Z")));
    assertThat(body.workerError()).isEmpty();
    assertThat(body.queue()).isEqualTo(new QueueStats(3, 1, 1, 0, 2.5));
  }

  @Test
  void aBodyWithoutWorkerAndQueueJudgesNoWorkerAndKnowsNoQueue() {
    AppHealthBody body = AppHealthBody.parse("{" + SEED + "}");
    assertThat(body).isEqualTo(AppHealthBody.UNREPORTED);
    assertThat(body.workerError()).isEmpty();
  }

  @Test
  void aMissingWorkerIsAFailureNamingItsLastBeat() {
    AppHealthBody body =
        AppHealthBody.parse(
            "{"
                + SEED
                + ",\"worker\":{\"status\":\"missing\",\"beatAt\":\"2026-12-03T09:58:00Z\"},"
                + "\"queue\":{\"waiting\":7,\"delayed\":0,\"running\":0,\"failed\":2,"
                + "\"oldestWaitingSeconds\":95}}");
    assertThat(body.workerError())
        .contains("worker heartbeat missing (last beat 2026-12-03T09:58:00Z)");
    assertThat(body.queue()).isEqualTo(new QueueStats(7, 0, 0, 2, 95.0));
  }

  @Test
  void aWorkerMissingWithoutAnyBeatIsAFailureToo() {
    AppHealthBody body = AppHealthBody.parse("{" + SEED + ",\"worker\":{\"status\":\"missing\"}}");
    assertThat(body.workerError()).contains("worker heartbeat missing (no beat on record)");
    assertThat(body.queue()).isNull();
  }

  @Test
  void aBodyThatIsNotJsonReportsNothing() {
    assertThat(AppHealthBody.parse("<html>ok</html>")).isEqualTo(AppHealthBody.UNREPORTED);
    assertThat(AppHealthBody.parse("")).isEqualTo(AppHealthBody.UNREPORTED);
    assertThat(AppHealthBody.parse("[1,2]")).isEqualTo(AppHealthBody.UNREPORTED);
  }

  @Test
  void anIncompleteQueueIsNotTakenForAnIdleOne() {
    AppHealthBody body = AppHealthBody.parse("{" + SEED + ",\"queue\":{\"waiting\":3}}");
    assertThat(body.queue()).isNull();
  }
}
