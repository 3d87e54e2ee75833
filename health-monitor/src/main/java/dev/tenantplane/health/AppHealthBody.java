package dev.tenantplane.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * What the app's {@code /api/health} body tells beyond its status: its worker's heartbeat and its
 * job queue, as the app read them from the customer's Redis. Either may be null: the app leaves
 * both out when it cannot read its Redis (a Redis failure already), and an older or replacement
 * image does not report them; then the worker is not judged and no queue is known. The body is read
 * leniently, since the image is not necessarily ours: what is not as expected counts as not
 * reported.
 */
record AppHealthBody(Worker worker, QueueStats queue) {
  static final AppHealthBody UNREPORTED = new AppHealthBody(null, null);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The worker's heartbeat: {@code alive} while a beat counts; anything else is missing. {@code
   * lastBeatAt} is null when the app knows of no beat.
   */
  record Worker(boolean alive, Instant lastBeatAt) {}

  static AppHealthBody parse(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return UNREPORTED;
    }
    if (root == null || !root.isObject()) {
      return UNREPORTED;
    }
    return new AppHealthBody(worker(root.path("worker")), queue(root.path("queue")));
  }

  /** The WORKER failure to record, when the worker is reported and not alive. */
  Optional<String> workerError() {
    if (worker == null || worker.alive()) {
      return Optional.empty();
    }
    return Optional.of(
        "worker heartbeat missing ("
            + (worker.lastBeatAt() == null
                ? "no beat on record"
                : "last beat " + worker.lastBeatAt())
            + ")");
  }

  private static Worker worker(JsonNode worker) {
    if (!worker.isObject()) {
      return null;
    }
    return new Worker(
        "alive".equals(worker.path("status").asText(null)), instant(worker.path("beatAt")));
  }

  private static Instant instant(JsonNode value) {
    if (!value.isTextual()) {
      return null;
    }
    try {
      return Instant.parse(value.asText());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Only a complete queue: counts made up of defaults would look like an idle one. */
  private static QueueStats queue(JsonNode queue) {
    for (String field :
        List.of("waiting", "delayed", "running", "failed", "oldestWaitingSeconds")) {
      if (!queue.path(field).isNumber()) {
        return null;
      }
    }
    return new QueueStats(
        queue.path("waiting").asLong(),
        queue.path("delayed").asLong(),
        queue.path("running").asLong(),
        queue.path("failed").asLong(),
        queue.path("oldestWaitingSeconds").asDouble());
  }
}
