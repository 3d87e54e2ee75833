package dev.tenantplane.tenantapp.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantplane.tenantapp.TenantAppSettings;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.list.ListCommands;
import io.quarkus.redis.datasource.list.Position;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The job queue on the customer's Redis: three lists. A job is pushed onto {@code queued}; the
 * worker moves it atomically to {@code processing} while it works on it (so a crash cannot lose
 * it), then removes it, puts it back on {@code queued} for another attempt, or parks it on {@code
 * dead}.
 */
@ApplicationScoped
public class JobQueue {
  private final ObjectMapper json;
  private final ReactiveRedisDataSource reactive;
  private final ListCommands<String, String> lists;
  private final String queued;
  private final String processing;
  private final String dead;

  public JobQueue(
      ObjectMapper json,
      ReactiveRedisDataSource reactive,
      RedisDataSource blocking,
      TenantAppSettings settings) {
    this.json = json;
    this.reactive = reactive;
    this.lists = blocking.list(String.class);
    String prefix = settings.jobs().keyPrefix();
    this.queued = prefix + ":queued";
    this.processing = prefix + ":processing";
    this.dead = prefix + ":dead";
  }

  public Uni<Void> enqueue(JobMessage job) {
    return reactive.list(String.class).lpush(queued, write(job)).replaceWithVoid();
  }

  /** Waits up to {@code wait} for a job and moves it to the processing list; empty if none. */
  public Optional<String> take(Duration wait) {
    return Optional.ofNullable(
        lists.blmove(queued, processing, Position.RIGHT, Position.LEFT, wait));
  }

  public void done(String taken) {
    lists.lrem(processing, 1, taken);
  }

  /** Another attempt later: back of the queue first, then out of processing, so never lost. */
  public void retry(String taken, JobMessage next) {
    lists.lpush(queued, write(next));
    lists.lrem(processing, 1, taken);
  }

  public void park(String taken, JobMessage last) {
    lists.lpush(dead, last == null ? taken : write(last));
    lists.lrem(processing, 1, taken);
  }

  /** Puts a job in hand back unchanged, e.g. at shutdown. */
  public void giveBack(String taken) {
    lists.lpush(queued, taken);
    lists.lrem(processing, 1, taken);
  }

  /** Returns every job a stopped worker left in processing to the queue. */
  public int recover() {
    int moved = 0;
    while (lists.lmove(processing, queued, Position.RIGHT, Position.RIGHT) != null) {
      moved++;
    }
    return moved;
  }

  public List<JobMessage> deadJobs() {
    return lists.lrange(dead, 0, -1).stream().map(this::readOrNull).toList();
  }

  public long queuedCount() {
    return lists.llen(queued);
  }

  public JobMessage read(String raw) throws JsonProcessingException {
    return json.readValue(raw, JobMessage.class);
  }

  private JobMessage readOrNull(String raw) {
    try {
      return read(raw);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private String write(JobMessage job) {
    try {
      return json.writeValueAsString(job);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise job " + job.jobId(), e);
    }
  }
}
